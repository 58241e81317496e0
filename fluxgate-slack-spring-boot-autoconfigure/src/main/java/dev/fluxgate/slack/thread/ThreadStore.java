package dev.fluxgate.slack.thread;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where listeners keep the open Slack thread of each circuit breaker: a reactive store whose writes are atomic, so
 * that two writers sharing it (the replicas of a service, or a listener and its storm digest) race safely.
 * <p>
 * Each write says whether it took effect. A listener never overwrites blindly: it creates a thread only where there
 * is none, replaces the version it read, and removes only the thread it knows. Only {@link ThreadTracker} writes.
 * Listeners never call a store on the thread that caused a transition.
 * <p>
 * An error is never an answer: a store that cannot tell whether a breaker has a thread fails, so that "absent" and
 * "unknown" stay apart. A store {@link #isShared() shared} by several processes gets the fleet's rules: it answers
 * with its own clock ({@link #lookup(String)}), stamps members' heartbeats on that clock when it writes them, and
 * keeps an index of open cycles so that a heartbeat finds the abandoned ones without a scan ({@link #beat}).
 */
public interface ThreadStore {

	/**
	 * Find the open thread of a circuit breaker.
	 * @param circuitBreaker the circuit breaker's name
	 * @return its thread, empty when it has none, an error when the store cannot tell
	 */
	Mono<SlackThread> find(String circuitBreaker);

	/**
	 * Find the open thread of a circuit breaker together with the store's time, in one request. Several processes
	 * compare heartbeats and claims on that time only; a shared store answers with its own clock.
	 * @param circuitBreaker the circuit breaker's name
	 * @return the lookup, an error when the store cannot tell
	 */
	default Mono<Lookup> lookup(String circuitBreaker) {
		return find(circuitBreaker).map((thread) -> new Lookup(thread, Instant.now()))
			.switchIfEmpty(Mono.fromSupplier(() -> new Lookup(null, Instant.now())));
	}

	/**
	 * Whether several processes share this store, so that each failure cycle is one thread for all of them and the
	 * listeners follow the fleet's rules.
	 * @return whether the store is shared, {@code false} by default
	 */
	default boolean isShared() {
		return false;
	}

	/**
	 * Keep a new thread, only if its circuit breaker has none.
	 * @param thread the thread
	 * @return whether it was kept: {@code false} when the breaker already has a thread
	 */
	Mono<Boolean> create(SlackThread thread);

	/**
	 * Replace a thread, only if the store still holds the version the writer read: the same root {@code ts} and
	 * version. The fleet's members change only where {@code next} differs from {@code expected}: a member whose
	 * heartbeat is {@code null} in {@code next} is written and stamped with the store's time, one missing from
	 * {@code next} leaves, and the others keep what the store holds, so that a heartbeat renewed meanwhile stays.
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

	/**
	 * Renew one replica's membership of the cycles it is in, stamped with the store's time and one version on, and
	 * name the cycles whose last sign of life is older than the given silence. A cycle this replica is not a member of
	 * is not renewed: no member is ever written back.
	 * @param instance the replica's instance id
	 * @param states the state to renew, by circuit breaker name
	 * @param silence how long a cycle may go without a sign of life before it is named abandoned
	 * @return the cycles this replica is no longer in, and the abandoned ones
	 */
	default Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
		Set<String> gone = new HashSet<>();
		return Flux.fromIterable(states.entrySet())
			.concatMap((entry) -> find(entry.getKey()).flatMap((thread) -> {
				if (thread.isClaim() || !thread.fleet().members().containsKey(instance)) {
					gone.add(entry.getKey());
					return Mono.empty();
				}
				return replace(thread, thread.withFleet(thread.fleet().with(instance, entry.getValue())));
			}).switchIfEmpty(Mono.fromRunnable(() -> gone.add(entry.getKey()))))
			.then(lookup("").map(Lookup::now))
			.flatMap((now) -> findAll().filter((thread) -> thread.fleet()
				.lastSignOfLife()
				.map((last) -> last.plus(silence).isBefore(now))
				.orElse(false)).map(SlackThread::circuitBreaker).collectList())
			.map((abandoned) -> new Beat(gone, new ArrayList<>(abandoned)));
	}

}
