package dev.fluxgate.slack.thread;

import java.util.function.Supplier;

import dev.fluxgate.slack.event.TransitionSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one writer of thread state: it plans each message against the {@link ThreadStore} and records what became of
 * it, each change one atomic update. Two strategies: {@link LocalThreadTracker} for one process's threads, and
 * {@link FleetThreadTracker} for threads that replicas share, chosen by {@link ThreadStore#isShared()}.
 */
public interface ThreadTracker extends AutoCloseable {

	/**
	 * Return the store.
	 * @return the thread store
	 */
	ThreadStore store();

	/**
	 * Find a circuit breaker's open thread.
	 * @param circuitBreaker the circuit breaker's name
	 * @return its thread, or empty
	 */
	Mono<SlackThread> open(String circuitBreaker);

	/**
	 * Decide how a transition is posted, before it is sent.
	 * @param snapshot the transition
	 * @param channel the channel a new thread of its breaker goes to, asked only when one is started
	 * @return the plan
	 */
	Mono<Plan> plan(TransitionSnapshot snapshot, Supplier<String> channel);

	/**
	 * Keep what a plan holds while its message is being posted.
	 * @param <T> the answer's type
	 * @param snapshot the transition
	 * @param plan the plan
	 * @param posting the posting of the message
	 * @return the posting
	 */
	default <T> Mono<T> whilePosting(TransitionSnapshot snapshot, Plan plan, Mono<T> posting) {
		return posting;
	}

	/**
	 * Record a message that Slack accepted.
	 * @param snapshot the transition the message told
	 * @param plan the plan it was posted by
	 * @param channel the channel ID Slack answered with
	 * @param ts the message's {@code ts}
	 * @return whether the thread the message was posted in is still the breaker's
	 */
	Mono<Boolean> delivered(TransitionSnapshot snapshot, Plan plan, String channel, String ts);

	/**
	 * Record a message that could not be delivered.
	 * @param snapshot the transition the message told
	 * @param plan the plan it was to be posted by
	 * @return completes once recorded
	 */
	Mono<Void> undelivered(TransitionSnapshot snapshot, Plan plan);

	/**
	 * Record a transition told somewhere else than in the thread (a storm digest's root): the thread follows the
	 * breaker's state, and this process leaves it with its cycle.
	 * @param snapshot the transition
	 * @return completes once recorded
	 */
	Mono<Void> moved(TransitionSnapshot snapshot);

	/**
	 * Start a thread whose root is already posted, if its breaker has none.
	 * @param thread the thread
	 * @return whether it was kept
	 */
	Mono<Boolean> started(SlackThread thread);

	/**
	 * Start the thread of a breaker that the fleet's storm digest tells, if its breaker has none: its root is the
	 * digest's, and the digest, not the thread's members, decides when its cycle ends.
	 * @param thread the thread
	 * @return whether it was kept
	 */
	default Mono<Boolean> digested(SlackThread thread) {
		return started(thread);
	}

	/**
	 * End a thread, if it is still its breaker's.
	 * @param thread the thread, or {@code null}
	 * @return completes once ended
	 */
	Mono<Void> end(SlackThread thread);

	/**
	 * Forget whatever thread a circuit breaker has, as when an operator deletes it: its next failure starts a new
	 * thread, for every process sharing the store.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether it had one
	 */
	Mono<Boolean> forget(String circuitBreaker);

	/**
	 * Let go of a circuit breaker that left this process's registry.
	 * @param circuitBreaker the circuit breaker's name
	 * @return completes once done
	 */
	Mono<Void> released(String circuitBreaker);

	/**
	 * Tell the tracker of a circuit breaker bound to the listener.
	 * @param circuitBreaker the circuit breaker's name
	 * @param state its current state, whenever asked
	 */
	default void bound(String circuitBreaker, Supplier<State> state) {
	}

	/**
	 * Be told that a breaker trips while its transitions are told somewhere other than its thread (a fleet's storm
	 * digest). A fleet's tracker joins the cycle's posted thread, if another replica tells the breaker's outage in a
	 * thread of its own, so that no recovery there is broadcast while the breaker still fails here; the heartbeat
	 * keeps the membership and leaves the cycle once the breaker closes here and nothing of it is on its way. Never
	 * fails. By default nothing.
	 * @param circuitBreaker the circuit breaker's name
	 * @param state the state it entered
	 * @return completes once done
	 */
	default Mono<Void> failingElsewhere(String circuitBreaker, State state) {
		return Mono.empty();
	}

	/**
	 * Return the instance id this process tells the fleet its messages with.
	 * @return the instance id, or {@code null} for a process that shares its threads with nobody
	 */
	default String instance() {
		return null;
	}

	/**
	 * Return the shared failure cycles that ended without a message of this process's breaker: their members
	 * stopped reporting, restarted or left. Each is to be told in its thread.
	 * @return the ended cycles, as they end
	 */
	default Flux<CycleEnded> endedCycles() {
		return Flux.empty();
	}

	/**
	 * Stop what the tracker does in the background.
	 */
	@Override
	default void close() {
	}

}
