package dev.fluxgate.slack.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * How often and how patiently a message is tried again after a transient failure.
 *
 * @param maxAttempts how many attempts a message gets in all, the first included
 * @param initialBackoff the wait before the first retry, doubled before each next one
 * @param maxBackoff the longest wait between two attempts, unless Slack's {@code Retry-After} asks for more
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a message Slack asks to hold longer is given up
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

	private static final Logger logger = LoggerFactory.getLogger(RetryPolicy.class);

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

	/**
	 * Return this policy as a Reactor {@link Retry}. What failed where the request surely did not reach Slack is
	 * retried up to {@link #maxAttempts()}; what failed where Slack may already have posted (a timeout after the
	 * request was sent, HTTP 5xx) once at most. A {@code Retry-After} beyond {@link #maxRetryAfter()} gives the
	 * message up; no retry outlives the deadline.
	 * @param what what is retried, for the log
	 * @param retrying told of each retry
	 * @param start when the delivery started, on the clock
	 * @param deadline how long the delivery may take in all, or {@code null} for no limit
	 * @param pacerHoldsRateLimits whether a pacer holds the channel after a 429, so that a rate-limited retry waits
	 * for its turn instead of for {@code Retry-After}
	 * @param clock the clock the deadline is kept on
	 * @param scheduler where the retries wait
	 * @return the retry
	 */
	public Retry retry(String what, Consumer<SlackApiException> retrying, Instant start, Duration deadline,
			boolean pacerHoldsRateLimits, Clock clock, Scheduler scheduler) {
		int[] uncertainRetries = { 0 };
		return Retry.from((signals) -> signals.concatMap((signal) -> {
			Throwable failure = signal.failure();
			if (!(failure instanceof SlackApiException ex) || !ex.isRetryable()
					|| signal.totalRetries() + 1 >= this.maxAttempts
					|| (ex.getKind() == SlackApiException.Kind.RETRY_ONCE && uncertainRetries[0]++ > 0)) {
				return Mono.error(failure);
			}
			if (ex.getRetryAfter() != null && ex.getRetryAfter().compareTo(this.maxRetryAfter) > 0) {
				return Mono.error(new SlackApiException(ex.getError(), SlackApiException.Kind.PERMANENT,
						ex.getRetryAfter(), "Slack asked to wait " + ex.getRetryAfter() + " (Retry-After), longer than "
								+ "fluxgate.slack.retry.max-retry-after (" + this.maxRetryAfter
								+ "); the message is given up", ex));
			}
			Duration wait = (pacerHoldsRateLimits && SlackErrors.RATE_LIMITED.contains(ex.getError()))
					? Duration.ZERO : (ex.getRetryAfter() != null) ? ex.getRetryAfter() : backoff(signal.totalRetries() + 1);
			if (deadline != null && Duration.between(start, clock.instant()).plus(wait).compareTo(deadline) > 0) {
				return Mono.error(failure);
			}
			logger.debug("Retrying {} in {}: {}", what, wait, ex.getMessage());
			retrying.accept(ex);
			return Mono.delay(wait, scheduler);
		}));
	}

	/**
	 * Return how long Slack holds a channel after rate-limiting a message: its {@code Retry-After}, one second when
	 * absent, at most {@link #maxRetryAfter()}.
	 * @param ex the failure
	 * @return the hold, or {@code null} when the failure is no rate limit
	 */
	public Duration rateLimitedFor(SlackApiException ex) {
		if (!SlackErrors.RATE_LIMITED.contains(ex.getError())) {
			return null;
		}
		Duration retryAfter = (ex.getRetryAfter() != null) ? ex.getRetryAfter() : Duration.ofSeconds(1);
		return (retryAfter.compareTo(this.maxRetryAfter) > 0) ? this.maxRetryAfter : retryAfter;
	}

}
