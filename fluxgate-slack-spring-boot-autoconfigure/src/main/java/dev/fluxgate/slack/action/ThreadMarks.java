package dev.fluxgate.slack.action;

import java.time.Instant;

/**
 * What people said about one failure cycle from Slack: who acknowledged it and until when it is silenced.
 *
 * @param acknowledgedBy the Slack user ID that acknowledged the cycle, or {@code null}
 * @param silencedBy the Slack user ID that silenced it, or {@code null}
 * @param silencedUntil until when its replies are silenced, {@link #UNTIL_RECOVERED}, or {@code null}
 */
public record ThreadMarks(String acknowledgedBy, String silencedBy, Instant silencedUntil) {

	/** The {@link #silencedUntil()} of a silence that lasts until the breaker recovers. */
	public static final Instant UNTIL_RECOVERED = Instant.parse("9999-12-31T23:59:59Z");

	/** No marks. */
	public static final ThreadMarks NONE = new ThreadMarks(null, null, null);

	/**
	 * Whether the cycle's replies are silenced at a given time.
	 * @param now the time
	 * @return whether a reply is to be held back
	 */
	public boolean isSilencedAt(Instant now) {
		return this.silencedUntil != null && now.isBefore(this.silencedUntil);
	}

	/**
	 * Return these marks acknowledged by a user, or no longer acknowledged.
	 * @param user the user ID, or {@code null} to undo
	 * @return the marks
	 */
	public ThreadMarks acknowledgedBy(String user) {
		return new ThreadMarks(user, this.silencedBy, this.silencedUntil);
	}

	/**
	 * Return these marks silenced by a user until a time, or no longer silenced.
	 * @param user the user ID, or {@code null} to undo
	 * @param until until when, or {@code null} to undo
	 * @return the marks
	 */
	public ThreadMarks silencedBy(String user, Instant until) {
		return new ThreadMarks(this.acknowledgedBy, user, until);
	}

}
