package dev.fluxgate.slack;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a message is tried again after a transient failure.
 *
 * @param maxAttempts how many attempts a message gets in all, the first included
 * @param initialBackoff the wait before the first retry, doubled before each next one
 * @param maxBackoff the longest wait between two attempts, unless Slack's {@code Retry-After} asks for more
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a message Slack asks to hold longer is given up
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

	/** How long Slack may ask to wait by default before a message is given up: five minutes. */
	public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(5);

	/** Five attempts, waiting 1 s, 2 s, 4 s and 8 s, at most 30 s; a Retry-After of at most five minutes. */
	public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

	/**
	 * Create a policy that honours a {@code Retry-After} of at most {@link #DEFAULT_MAX_RETRY_AFTER}.
	 * @param maxAttempts how many attempts a message gets in all, the first included
	 * @param initialBackoff the wait before the first retry, doubled before each next one
	 * @param maxBackoff the longest wait between two attempts
	 */
	public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
		this(maxAttempts, initialBackoff, maxBackoff, DEFAULT_MAX_RETRY_AFTER);
	}

	public RetryPolicy {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		Objects.requireNonNull(initialBackoff, "initialBackoff must not be null");
		Objects.requireNonNull(maxBackoff, "maxBackoff must not be null");
		Objects.requireNonNull(maxRetryAfter, "maxRetryAfter must not be null");
		if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
			throw new IllegalArgumentException("backoffs must not be negative");
		}
	}

	/**
	 * Return the wait before the given retry.
	 * @param retry the retry's number, 1 for the first
	 * @return the wait
	 */
	public Duration backoff(long retry) {
		long factor = 1L << Math.min(30, Math.max(0, retry - 1));
		Duration wait = this.initialBackoff.multipliedBy(factor);
		return (wait.compareTo(this.maxBackoff) > 0) ? this.maxBackoff : wait;
	}

}
