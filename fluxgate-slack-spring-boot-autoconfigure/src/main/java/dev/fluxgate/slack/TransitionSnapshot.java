package dev.fluxgate.slack;

import java.time.Instant;
import java.util.Objects;

/**
 * What a listener keeps of a state-transition event: taken on the caller's thread, delivered later.
 *
 * @param circuitBreaker the circuit breaker's name
 * @param transition the state change
 * @param time when it happened
 */
public record TransitionSnapshot(String circuitBreaker, Transition transition, Instant time) {

	public TransitionSnapshot {
		Objects.requireNonNull(circuitBreaker, "circuitBreaker must not be null");
		Objects.requireNonNull(transition, "transition must not be null");
		Objects.requireNonNull(time, "time must not be null");
	}

}
