package dev.fluxgate.slack.thread;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where listeners keep the open Slack thread of each circuit breaker: a reactive store whose writes are atomic, so
 * that two writers sharing it (the replicas of a service, or a listener and its storm digest) race safely.
 * <p>
 * Each write says whether it took effect. A listener never overwrites blindly: it creates a thread only where there
 * is none, replaces the version it read, and removes only the thread it knows. Only {@link ThreadTracker} writes.
 * Listeners never call a store on the thread that caused a transition.
 */
public interface ThreadStore {

	/**
	 * Find the open thread of a circuit breaker.
	 * @param circuitBreaker the circuit breaker's name
	 * @return its thread, or empty when it has none
	 */
	Mono<SlackThread> find(String circuitBreaker);

	/**
	 * Keep a new thread, only if its circuit breaker has none.
	 * @param thread the thread
	 * @return whether it was kept: {@code false} when the breaker already has a thread
	 */
	Mono<Boolean> create(SlackThread thread);

	/**
	 * Replace a thread, only if the store still holds the version the writer read: the same root {@code ts} and
	 * version.
	 * @param expected the thread as read
	 * @param next the thread that replaces it
	 * @return whether it was replaced: {@code false} when another writer changed or removed it meanwhile
	 */
	Mono<Boolean> replace(SlackThread expected, SlackThread next);

	/**
	 * Forget the thread of a circuit breaker, only if it is the one with the given root, so that its next failure
	 * cycle starts a new one.
	 * @param circuitBreaker the circuit breaker's name
	 * @param threadTs the root's {@code ts} of the thread to forget
	 * @return whether that thread was there
	 */
	Mono<Boolean> remove(String circuitBreaker, String threadTs);

	/**
	 * Forget a thread only if the store still holds the version the writer read: the same root {@code ts} (or the
	 * same pending claim) and version. This is how one writer among several decides that it ends a cycle.
	 * @param expected the thread as read
	 * @return whether it was removed: {@code false} when another writer changed or removed it meanwhile
	 */
	Mono<Boolean> remove(SlackThread expected);

	/**
	 * Return every open thread.
	 * @return the threads, in no particular order
	 */
	Flux<SlackThread> findAll();

	/**
	 * Count the open threads.
	 * @return the number of open threads
	 */
	default Mono<Long> count() {
		return findAll().count();
	}

}
