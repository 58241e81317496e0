package dev.fluxgate.slack.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Slack's answer to {@code apps.connections.open}: the URL of a Socket Mode connection.
 *
 * @param ok whether the call succeeded
 * @param url the WebSocket URL, whose query carries a one-time ticket: never log more than its host
 * @param error the error code when {@code ok} is false
 * @param warning a warning Slack adds to a successful call
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionsOpenResponse(boolean ok, String url, String error, String warning) implements SlackAnswer {

	@Override
	public String toString() {
		return "ConnectionsOpenResponse[ok=" + this.ok + ", url=" + ((this.url != null) ? "******" : null) + ", error="
				+ this.error + ", warning=" + this.warning + "]";
	}

}
