package dev.fluxgate.slack.action;

import java.time.Instant;
import java.util.Objects;

/**
 * An action someone applied from Slack, as the replica that received it tells every replica.
 *
 * @param envelopeId the Socket Mode envelope that carried the click; an action is applied once per envelope
 * @param action what to do
 * @param circuitBreaker the circuit breaker's name, found from the thread state, never from the button alone
 * @param channel the channel ID of the thread
 * @param threadTs the {@code ts} of the thread's root
 * @param user the Slack user ID that clicked
 * @param silencedUntil for a silence, until when; {@code null} otherwise
 * @param origin the instance id of the replica that received the click
 * @param at when it was received, on the receiving replica's clock
 */
public record ActionEvent(String envelopeId, BreakerAction action, String circuitBreaker, String channel,
		String threadTs, String user, Instant silencedUntil, String origin, Instant at) {

	public ActionEvent {
		Objects.requireNonNull(envelopeId, "envelopeId must not be null");
		Objects.requireNonNull(action, "action must not be null");
		Objects.requireNonNull(circuitBreaker, "circuitBreaker must not be null");
	}

	/**
	 * Return a thread's marks after this action; an action that transitions the breaker leaves them as they are.
	 * @param marks the marks before
	 * @return the marks after
	 */
	public ThreadMarks applyTo(ThreadMarks marks) {
		return switch (this.action) {
			case ACKNOWLEDGE -> marks.acknowledgedBy(this.user);
			case UNACKNOWLEDGE -> marks.acknowledgedBy(null);
			case SILENCE_30_MINUTES, SILENCE_2_HOURS, SILENCE_UNTIL_RECOVERED -> marks.silencedBy(this.user,
					this.silencedUntil);
			case UNSILENCE -> marks.silencedBy(null, null);
			case FORCE_OPEN, CLOSE, RESET -> marks;
		};
	}

}
