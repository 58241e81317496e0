package dev.fluxgate.slack.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The part of a Slack Web API answer that listeners read.
 *
 * @param ok whether the call succeeded
 * @param ts the posted message's timestamp
 * @param channel the channel ID the message was posted to
 * @param error the error code when {@code ok} is false
 * @param warning a warning Slack adds to a successful call
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlackResponse(boolean ok, String ts, String channel, String error, String warning) {

}
