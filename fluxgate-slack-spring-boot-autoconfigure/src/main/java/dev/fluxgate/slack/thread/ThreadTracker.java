package dev.fluxgate.slack.thread;

import java.util.Objects;
import java.util.function.Predicate;

import dev.fluxgate.slack.TransitionSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The one writer of thread state: it turns a rule's {@link ThreadRules.Step step} and what became of its message
 * into one atomic {@link ThreadStore} update. A write that finds the store changed by another writer meanwhile does
 * not take effect, and says so.
 */
public final class ThreadTracker {

	private static final Logger logger = LoggerFactory.getLogger(ThreadTracker.class);

	private final ThreadStore store;

	private final Predicate<String> tracked;

	/**
	 * Create a tracker.
	 * @param store where the threads are kept
	 * @param tracked whether a circuit breaker's threads are still kept: a delivery that finishes after its breaker
	 * was released writes no thread
	 */
	public ThreadTracker(ThreadStore store, Predicate<String> tracked) {
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.tracked = Objects.requireNonNull(tracked, "tracked must not be null");
	}

	/**
	 * Return the store.
	 * @return the thread store
	 */
	public ThreadStore store() {
		return this.store;
	}

	/**
	 * Find a circuit breaker's open thread.
	 * @param circuitBreaker the circuit breaker's name
	 * @return its thread, or empty
	 */
	public Mono<SlackThread> open(String circuitBreaker) {
		return this.store.find(circuitBreaker);
	}

	/**
	 * Record a message that Slack accepted: a root starts its breaker's thread, a reply moves it on, and a message
	 * that ends the cycle ends it.
	 * @param snapshot the transition the message told
	 * @param step the rule's step
	 * @param open the thread the step was decided on, or {@code null}
	 * @param channel the channel ID Slack answered with
	 * @param ts the message's {@code ts}
	 * @return whether the thread the message was posted in is still the breaker's: {@code false} when another writer
	 * replaced or removed it meanwhile
	 */
	public Mono<Boolean> delivered(TransitionSnapshot snapshot, ThreadRules.Step step, SlackThread open, String channel,
			String ts) {
		if (step.endsThread()) {
			return end(open).thenReturn(true);
		}
		if (step.startsThread()) {
			return create(SlackThread.started(snapshot, channel, ts));
		}
		return (open != null) ? replace(open, open.followedBy(snapshot)) : Mono.just(false);
	}

	/**
	 * Record a message that could not be delivered: a message that ends the cycle still ends it, and any other keeps
	 * the thread at the breaker's new state.
	 * @param snapshot the transition the message told
	 * @param step the rule's step
	 * @param open the thread the step was decided on, or {@code null}
	 * @return completes once recorded
	 */
	public Mono<Void> undelivered(TransitionSnapshot snapshot, ThreadRules.Step step, SlackThread open) {
		if (step.endsThread()) {
			return end(open);
		}
		return (open != null) ? replace(open, open.movedTo(snapshot)).then() : Mono.empty();
	}

	/**
	 * Record a transition told somewhere else than in the thread (a storm digest's root): the thread follows the
	 * breaker's state, and ends with its cycle.
	 * @param snapshot the transition
	 * @return completes once recorded
	 */
	public Mono<Void> moved(TransitionSnapshot snapshot) {
		return this.store.find(snapshot.circuitBreaker())
			.flatMap((thread) -> ThreadRules.endsCycle(snapshot.transition().to()) ? end(thread)
					: replace(thread, thread.movedTo(snapshot)).then());
	}

	/**
	 * Start a thread whose root is already posted, if its breaker has none.
	 * @param thread the thread
	 * @return whether it was kept
	 */
	public Mono<Boolean> started(SlackThread thread) {
		return create(thread);
	}

	/**
	 * End a thread, if it is still its breaker's.
	 * @param thread the thread, or {@code null}
	 * @return completes once ended
	 */
	public Mono<Void> end(SlackThread thread) {
		return (thread != null) ? this.store.remove(thread.circuitBreaker(), thread.threadTs()).then() : Mono.empty();
	}

	/**
	 * Forget whatever thread a circuit breaker has, as when it leaves its registry or an operator deletes it.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether it had one
	 */
	public Mono<Boolean> forget(String circuitBreaker) {
		return this.store.find(circuitBreaker)
			.flatMap((thread) -> this.store.remove(circuitBreaker, thread.threadTs()))
			.defaultIfEmpty(false);
	}

	private Mono<Boolean> create(SlackThread thread) {
		if (!this.tracked.test(thread.circuitBreaker())) {
			return Mono.just(false);
		}
		return this.store.create(thread).doOnNext((created) -> {
			if (!created) {
				logger.debug("Circuit breaker '{}' already has a thread; its root {} starts none",
						thread.circuitBreaker(), thread.threadTs());
			}
		});
	}

	private Mono<Boolean> replace(SlackThread expected, SlackThread next) {
		if (!this.tracked.test(expected.circuitBreaker())) {
			return Mono.just(false);
		}
		return this.store.replace(expected, next);
	}

}
