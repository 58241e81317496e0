package dev.fluxgate.slack.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Slack's answer to {@code chat.postMessage} and {@code chat.update}.
 *
 * @param ok whether the call succeeded
 * @param ts the message's timestamp
 * @param channel the channel ID of the message
 * @param error the error code when {@code ok} is false
 * @param warning a warning Slack adds to a successful call
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlackResponse(boolean ok, String ts, String channel, String error, String warning) implements SlackAnswer {

}
