package dev.fluxgate.slack.event;

import java.time.Instant;
import java.util.Objects;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * What a listener keeps of a state-transition event: taken on the caller's thread, delivered later.
 *
 * @param circuitBreaker the circuit breaker's name
 * @param transition the state change
 * @param time when it happened
 * @param numbers the breaker's numbers at that moment, or {@code null} when unknown
 */
public record TransitionSnapshot(String circuitBreaker, Transition transition, Instant time, Numbers numbers) {

	public TransitionSnapshot {
		Objects.requireNonNull(circuitBreaker, "circuitBreaker must not be null");
		Objects.requireNonNull(transition, "transition must not be null");
		Objects.requireNonNull(time, "time must not be null");
	}

	/**
	 * Create a snapshot without numbers.
	 * @param circuitBreaker the circuit breaker's name
	 * @param transition the state change
	 * @param time when it happened
	 */
	public TransitionSnapshot(String circuitBreaker, Transition transition, Instant time) {
		this(circuitBreaker, transition, time, null);
	}

	/**
	 * A circuit breaker's numbers at the moment of a transition. Rates are percentages, {@code -1} when too few
	 * calls were recorded.
	 *
	 * @param failureRate the failure rate
	 * @param failureRateThreshold the failure rate at which the breaker opens
	 * @param slowCallRate the slow-call rate
	 * @param slowCallRateThreshold the slow-call rate at which the breaker opens
	 * @param bufferedCalls the calls in the sliding window
	 * @param failedCalls the failed calls in the sliding window
	 */
	public record Numbers(float failureRate, float failureRateThreshold, float slowCallRate,
			float slowCallRateThreshold, int bufferedCalls, int failedCalls) {

		/**
		 * Read a circuit breaker's numbers now.
		 * @param circuitBreaker the circuit breaker
		 * @return its numbers
		 */
		public static Numbers of(CircuitBreaker circuitBreaker) {
			CircuitBreaker.Metrics metrics = circuitBreaker.getMetrics();
			return new Numbers(metrics.getFailureRate(), circuitBreaker.getCircuitBreakerConfig().getFailureRateThreshold(),
					metrics.getSlowCallRate(), circuitBreaker.getCircuitBreakerConfig().getSlowCallRateThreshold(),
					metrics.getNumberOfBufferedCalls(), metrics.getNumberOfFailedCalls());
		}

	}

}
