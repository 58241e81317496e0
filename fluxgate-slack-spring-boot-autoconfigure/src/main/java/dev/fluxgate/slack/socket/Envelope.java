package dev.fluxgate.slack.socket;

import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * One Socket Mode envelope, already acknowledged to Slack when a handler sees it.
 *
 * @param envelopeId the envelope's id, which Slack expects back as the acknowledgement
 * @param type such as {@code interactive}, {@code events_api} or {@code slash_commands}
 * @param payload the payload, to be read into a typed record by its handler
 * @param acceptsResponsePayload whether Slack accepts a response payload with the acknowledgement
 */
public record Envelope(String envelopeId, String type, JsonNode payload, boolean acceptsResponsePayload) {

	public Envelope {
		Objects.requireNonNull(envelopeId, "envelopeId must not be null");
		Objects.requireNonNull(type, "type must not be null");
	}

}
