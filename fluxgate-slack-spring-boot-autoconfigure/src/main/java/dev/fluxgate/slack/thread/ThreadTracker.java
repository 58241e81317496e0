package dev.fluxgate.slack.thread;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.fluxgate.slack.TransitionSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The one writer of thread state: it turns a rule's {@link ThreadRules.Step step} and what became of its message
 * into one atomic {@link ThreadStore} update. A write that finds the store changed by another writer meanwhile does
 * not take effect, and says so.
 */
public class ThreadTracker implements AutoCloseable {

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
	 * Decide how a transition is posted: read its breaker's thread and apply the thread rules. A fleet's tracker also
	 * claims, joins or leaves the shared cycle here, atomically, before the message is sent.
	 * @param snapshot the transition
	 * @param channel the channel a new thread of its breaker goes to, asked only when one is claimed
	 * @return the plan
	 */
	public Mono<Plan> plan(TransitionSnapshot snapshot, Supplier<String> channel) {
		return open(snapshot.circuitBreaker()).map((open) -> Plan.of(snapshot.transition().to(), open))
			.defaultIfEmpty(Plan.of(snapshot.transition().to(), null));
	}

	/**
	 * Keep what a plan holds while its message is being posted; a fleet's claimer keeps its claim alive.
	 * @param <T> the answer's type
	 * @param snapshot the transition
	 * @param plan the plan
	 * @param posting the posting of the message
	 * @return the posting
	 */
	public <T> Mono<T> whilePosting(TransitionSnapshot snapshot, Plan plan, Mono<T> posting) {
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
	public Mono<Boolean> delivered(TransitionSnapshot snapshot, Plan plan, String channel, String ts) {
		return delivered(snapshot, plan.step(), plan.open(), channel, ts);
	}

	/**
	 * Record a message that could not be delivered.
	 * @param snapshot the transition the message told
	 * @param plan the plan it was to be posted by
	 * @return completes once recorded
	 */
	public Mono<Void> undelivered(TransitionSnapshot snapshot, Plan plan) {
		return undelivered(snapshot, plan.step(), plan.open());
	}

	/**
	 * Tell the tracker of a circuit breaker bound to the listener.
	 * @param circuitBreaker the circuit breaker's name
	 * @param state its current state, whenever asked
	 */
	public void bound(String circuitBreaker, Supplier<State> state) {
	}

	/**
	 * Stop what the tracker does in the background.
	 */
	@Override
	public void close() {
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
			.flatMap(this.store::remove)
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
