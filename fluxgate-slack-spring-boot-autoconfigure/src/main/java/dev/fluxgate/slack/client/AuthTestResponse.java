package dev.fluxgate.slack.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Slack's answer to {@code auth.test}: who the token is, and in which workspace.
 *
 * @param ok whether the call succeeded
 * @param url the workspace URL, such as {@code https://acme.slack.com/}
 * @param team the workspace name
 * @param user the bot user's name
 * @param teamId the workspace ID
 * @param botId the bot's ID
 * @param error the error code when {@code ok} is false
 * @param warning a warning Slack adds to a successful call
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthTestResponse(boolean ok, String url, String team, String user,
		@JsonProperty("team_id") String teamId, @JsonProperty("bot_id") String botId, String error, String warning)
		implements SlackAnswer {

}
