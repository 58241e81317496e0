package dev.fluxgate.slack;

import java.util.Collection;
import java.util.Optional;

/**
 * Where listeners keep the open Slack thread of each circuit breaker.
 * <p>
 * Listeners call it for one breaker at a time, in the order of that breaker's transitions. A shared
 * implementation lets the replicas of a service share one thread per outage and keeps threads across restarts.
 */
public interface ThreadStore {

	/**
	 * Return the open thread of a circuit breaker.
	 * @param circuitBreaker the circuit breaker's name
	 * @return its thread, or empty when it has none
	 */
	Optional<SlackThread> find(String circuitBreaker);

	/**
	 * Store the open thread of its circuit breaker, replacing any other.
	 * @param thread the thread
	 */
	void save(SlackThread thread);

	/**
	 * Forget the thread of a circuit breaker, so that its next failure cycle starts a new one.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether there was one
	 */
	boolean remove(String circuitBreaker);

	/**
	 * Return every open thread.
	 * @return the threads, in no particular order
	 */
	Collection<SlackThread> findAll();

	/**
	 * Return how many threads are open.
	 * @return the number of open threads
	 */
	default int count() {
		return findAll().size();
	}

}
