package dev.fluxgate.slack.thread;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.fluxgate.slack.event.TransitionSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The threads of one process: it turns a rule's {@link ThreadRules.Step step} and what became of its message into
 * one atomic {@link ThreadStore} update. A write that finds the store changed by another writer meanwhile (the
 * listener's storm digest) does not take effect, and says so.
 */
public final class LocalThreadTracker implements ThreadTracker {

	private static final Logger logger = LoggerFactory.getLogger(LocalThreadTracker.class);

	private final ThreadStore store;

	private final Predicate<String> tracked;

	/**
	 * Create a tracker.
	 * @param store where the threads are kept
	 * @param tracked whether a circuit breaker's threads are still kept: a delivery that finishes after its breaker
	 * was released writes no thread
	 */
	public LocalThreadTracker(ThreadStore store, Predicate<String> tracked) {
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.tracked = Objects.requireNonNull(tracked, "tracked must not be null");
	}

	@Override
	public ThreadStore store() {
		return this.store;
	}

	@Override
	public Mono<SlackThread> open(String circuitBreaker) {
		return this.store.find(circuitBreaker);
	}

	@Override
	public Mono<Plan> plan(TransitionSnapshot snapshot, Supplier<String> channel) {
		return open(snapshot.circuitBreaker()).map((open) -> Plan.of(snapshot.transition().to(), open))
			.defaultIfEmpty(Plan.of(snapshot.transition().to(), null));
	}

	@Override
	public Mono<Boolean> delivered(TransitionSnapshot snapshot, Plan plan, String channel, String ts) {
		return delivered(snapshot, plan.step(), plan.open(), channel, ts);
	}

	@Override
	public Mono<Void> undelivered(TransitionSnapshot snapshot, Plan plan) {
		return undelivered(snapshot, plan.step(), plan.open());
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
	private Mono<Boolean> delivered(TransitionSnapshot snapshot, ThreadRules.Step step, SlackThread open, String channel,
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
	private Mono<Void> undelivered(TransitionSnapshot snapshot, ThreadRules.Step step, SlackThread open) {
		if (step.endsThread()) {
			return end(open);
		}
		return (open != null) ? replace(open, open.movedTo(snapshot)).then() : Mono.empty();
	}

	@Override
	public Mono<Void> moved(TransitionSnapshot snapshot) {
		return this.store.find(snapshot.circuitBreaker())
			.flatMap((thread) -> ThreadRules.endsCycle(snapshot.transition().to()) ? end(thread)
					: replace(thread, thread.movedTo(snapshot)).then());
	}

	@Override
	public Mono<Boolean> started(SlackThread thread) {
		return create(thread);
	}

	@Override
	public Mono<Void> end(SlackThread thread) {
		return (thread != null) ? this.store.remove(thread.circuitBreaker(), thread.threadTs()).then() : Mono.empty();
	}

	@Override
	public Mono<Boolean> forget(String circuitBreaker) {
		return this.store.find(circuitBreaker)
			.flatMap(this.store::remove)
			.defaultIfEmpty(false);
	}

	@Override
	public Mono<Void> released(String circuitBreaker) {
		return forget(circuitBreaker).then();
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
