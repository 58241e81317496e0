package dev.fluxgate.slack.thread;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A replica's heartbeat in the shared failure cycles: it renews this replica's membership of the cycles it is in,
 * ends the cycles it was in whose members all stopped reporting, and, one heartbeat after a breaker is bound, leaves
 * the cycle an earlier life of this replica was in. One read per cycle it knows and one write per renewal; no scan of
 * the store.
 */
final class FleetHeartbeat {

	private static final Logger logger = LoggerFactory.getLogger(FleetHeartbeat.class);

	private final ThreadStore store;

	private final String instance;

	private final Duration heartbeat;

	private final Duration silence;

	private final Clock clock;

	private final Scheduler scheduler;

	private final Set<String> joined = ConcurrentHashMap.newKeySet();

	private final Set<String> watched = ConcurrentHashMap.newKeySet();

	private final Disposable beats;

	private volatile Function<CycleEnded, Mono<Void>> onEnded = (ended) -> Mono.empty();

	FleetHeartbeat(ThreadStore store, String instance, Duration heartbeat, Clock clock, Scheduler scheduler) {
		this.store = store;
		this.instance = instance;
		this.heartbeat = heartbeat;
		this.silence = heartbeat.multipliedBy(3);
		this.clock = clock;
		this.scheduler = scheduler;
		this.beats = Flux.interval(heartbeat, heartbeat, scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> beat().onErrorResume((ex) -> {
				logger.debug("Could not renew this replica's heartbeat; the next one tries again", ex);
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	Duration silence() {
		return this.silence;
	}

	void onEnded(Function<CycleEnded, Mono<Void>> onEnded) {
		this.onEnded = onEnded;
	}

	/** This replica joined a cycle, or moved in it. */
	void joined(String circuitBreaker) {
		this.joined.add(circuitBreaker);
	}

	/** This replica left a cycle others are still in: it keeps an eye on it until it ends. */
	void left(String circuitBreaker) {
		this.joined.remove(circuitBreaker);
		this.watched.add(circuitBreaker);
	}

	/** A cycle this replica was in ended. */
	void ended(String circuitBreaker) {
		this.joined.remove(circuitBreaker);
		this.watched.remove(circuitBreaker);
	}

	void bound(String circuitBreaker, Supplier<State> state) {
		Mono.delay(this.heartbeat, this.scheduler)
			.filter((tick) -> !this.beats.isDisposed())
			.flatMap((tick) -> this.store.find(circuitBreaker))
			.filter((thread) -> !thread.isClaim() && thread.fleet().members().containsKey(this.instance)
					&& !this.joined.contains(circuitBreaker))
			.flatMap((thread) -> rejoin(thread, state.get()))
			.subscribe(null, (ex) -> logger.warn("Could not check whether circuit breaker '{}' was in a shared failure "
					+ "cycle before this replica started", circuitBreaker, ex));
	}

	private Mono<Void> rejoin(SlackThread thread, State state) {
		if (!ThreadRules.endsCycle(state)) {
			joined(thread.circuitBreaker());
			return Mono.empty();
		}
		Fleet left = thread.fleet().without(this.instance);
		if (!left.live(this.clock.instant(), this.silence).isEmpty()) {
			return this.store.replace(thread, thread.withFleet(left)).then();
		}
		return this.store.remove(thread)
			.filter(Boolean::booleanValue)
			.flatMap((removed) -> this.onEnded.apply(new CycleEnded(thread, this.instance, CycleEnded.Reason.RESTARTED)));
	}

	private Mono<Void> beat() {
		Instant now = this.clock.instant();
		Set<String> names = new TreeSet<>(this.watched);
		names.addAll(this.joined);
		return Flux.fromIterable(names)
			.concatMap((name) -> this.store.find(name)
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((thread) -> beat(name, thread.orElse(null), now)))
			.then();
	}

	private Mono<Void> beat(String name, SlackThread thread, Instant now) {
		if (thread == null || thread.fleet().members().isEmpty()) {
			ended(name);
			return Mono.empty();
		}
		if (thread.isClaim()) {
			return Mono.empty();
		}
		Fleet.Member member = thread.fleet().members().get(this.instance);
		if (member != null) {
			return this.store
				.replace(thread, thread.withFleet(thread.fleet().with(this.instance, member.state(), now)))
				.then();
		}
		left(name);
		if (!thread.fleet().live(now, this.silence).isEmpty()) {
			return Mono.empty();
		}
		return this.store.remove(thread).filter(Boolean::booleanValue).flatMap((removed) -> {
			ended(name);
			return this.onEnded
				.apply(new CycleEnded(thread, lastReported(thread), CycleEnded.Reason.STOPPED_REPORTING));
		});
	}

	private static String lastReported(SlackThread thread) {
		return thread.fleet()
			.members()
			.entrySet()
			.stream()
			.max(Map.Entry.comparingByValue((a, b) -> a.heartbeat().compareTo(b.heartbeat())))
			.map(Map.Entry::getKey)
			.orElse("?");
	}

	void close() {
		this.beats.dispose();
	}

}
