package dev.fluxgate.slack.resilience4j;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * What a {@link RegistryBinding} binds circuit breakers to: a listener that announces their transitions.
 */
public interface CircuitBreakerTarget {

	/**
	 * Announce the transitions of a circuit breaker.
	 * @param circuitBreaker the circuit breaker
	 */
	void bindTo(CircuitBreaker circuitBreaker);

	/**
	 * Stop announcing a circuit breaker and forget what is kept of it.
	 * @param circuitBreaker the circuit breaker
	 */
	void release(CircuitBreaker circuitBreaker);

}
