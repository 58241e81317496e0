package dev.fluxgate.slack.thread;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One replica's connection to a shared store, as each replica has its own to Redis: it can be down
 * ({@code down}), fail its writes ({@code writesDown}), apply a write and lose its answer ({@code answersLost}, as a
 * Redis call past its timeout that still runs), and time out its next lookups after a second
 * ({@code nextLookupTimesOut}).
 */
final class FlakyConnection implements ThreadStore {

	private final ThreadStore store;

	private final Scheduler time;

	volatile boolean down;

	volatile boolean writesDown;

	volatile boolean answersLost;

	final AtomicInteger nextLookupTimesOut = new AtomicInteger();

	FlakyConnection(ThreadStore store, Scheduler time) {
		this.store = store;
		this.time = time;
	}

	private <T> Mono<T> call(Mono<T> call) {
		return Mono.defer(() -> this.down ? Mono.error(new IllegalStateException("the store is down")) : call);
	}

	private <T> Mono<T> write(Mono<T> call) {
		return call(Mono.defer(() -> {
			if (this.writesDown) {
				return Mono.error(new IllegalStateException("the store is down"));
			}
			if (this.answersLost) {
				return call.then(Mono.error(new IllegalStateException("no answer within the timeout")));
			}
			return call;
		}));
	}

	@Override
	public boolean isShared() {
		return true;
	}

	@Override
	public Mono<SlackThread> find(String circuitBreaker) {
		return call(this.store.find(circuitBreaker));
	}

	@Override
	public Mono<Lookup> lookup(String circuitBreaker) {
		return call(Mono.defer(() -> (this.nextLookupTimesOut.getAndUpdate((n) -> Math.max(0, n - 1)) > 0)
				? Mono.delay(Duration.ofSeconds(1), this.time)
					.then(Mono.error(new IllegalStateException("no answer within the timeout")))
				: this.store.lookup(circuitBreaker)));
	}

	@Override
	public Mono<Boolean> create(SlackThread thread) {
		return write(this.store.create(thread));
	}

	@Override
	public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
		return write(this.store.replace(expected, next));
	}

	@Override
	public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
		return write(this.store.remove(circuitBreaker, threadTs));
	}

	@Override
	public Mono<Boolean> remove(SlackThread expected) {
		return write(this.store.remove(expected));
	}

	@Override
	public Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
		return call(this.store.beat(instance, states, silence));
	}

	@Override
	public Flux<SlackThread> findAll() {
		return this.down ? Flux.error(new IllegalStateException("the store is down")) : this.store.findAll();
	}

}
