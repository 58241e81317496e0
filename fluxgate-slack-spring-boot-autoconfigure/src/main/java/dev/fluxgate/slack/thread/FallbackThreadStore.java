package dev.fluxgate.slack.thread;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.fluxgate.slack.time.MonotonicClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A shared thread store that never costs an alert: each failure or answer slower than its timeout is told to the
 * {@link StoreObserver} and logged, the first at WARN with its cause and the next ones at DEBUG until the store
 * answers again, and then fails the call, so that the caller knows it does not know: the fleet's tracker then plans
 * the message on what it knows and still delivers it. Listing and counting the threads answer with none while the
 * store fails.
 */
public class FallbackThreadStore implements ThreadStore {

	private static final Logger logger = LoggerFactory.getLogger(FallbackThreadStore.class);

	private final ThreadStore shared;

	private final Supplier<? extends StoreObserver> observer;

	private final Clock clock;

	private final AtomicBoolean failing = new AtomicBoolean();

	/**
	 * Create a store that times the shared one's answers on a {@link MonotonicClock}.
	 * @param shared the shared store, such as Redis
	 * @param observer told of each failure, looked up on the first one
	 */
	public FallbackThreadStore(ThreadStore shared, Supplier<? extends StoreObserver> observer) {
		this(shared, observer, new MonotonicClock());
	}

	/**
	 * Create a store that times the shared one's answers on a clock.
	 * @param shared the shared store, such as Redis
	 * @param observer told of each failure, looked up on the first one
	 * @param clock the clock the answers are timed on
	 */
	public FallbackThreadStore(ThreadStore shared, Supplier<? extends StoreObserver> observer, Clock clock) {
		this.shared = Objects.requireNonNull(shared, "shared must not be null");
		this.observer = Objects.requireNonNull(observer, "observer must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * Return the shared store.
	 * @return the store whose failures this one tells
	 */
	public ThreadStore shared() {
		return this.shared;
	}

	@Override
	public boolean isShared() {
		return this.shared.isShared();
	}

	@Override
	public Mono<SlackThread> find(String circuitBreaker) {
		return told("find", this.shared.find(circuitBreaker));
	}

	@Override
	public Mono<Lookup> lookup(String circuitBreaker) {
		return told("find", this.shared.lookup(circuitBreaker));
	}

	@Override
	public Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
		return told("beat", this.shared.beat(instance, states, silence));
	}

	@Override
	public Mono<Boolean> create(SlackThread thread) {
		return told("create", this.shared.create(thread));
	}

	@Override
	public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
		return told("replace", this.shared.replace(expected, next));
	}

	@Override
	public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
		return told("remove", this.shared.remove(circuitBreaker, threadTs));
	}

	@Override
	public Mono<Boolean> remove(SlackThread expected) {
		return told("remove", this.shared.remove(expected));
	}

	@Override
	public Mono<Long> count() {
		return answered("count", this.shared.count()).onErrorResume((ex) -> fellBack("count", ex, Mono.just(0L)));
	}

	@Override
	public Flux<SlackThread> findAll() {
		return answered("findAll", this.shared.findAll().collectList()).flatMapMany(Flux::fromIterable)
			.onErrorResume((ex) -> fellBack("findAll", ex, Flux.empty()));
	}

	private <T> Mono<T> told(String operation, Mono<T> call) {
		return answered(operation, call).onErrorResume((ex) -> fellBack(operation, ex, Mono.error(ex)));
	}

	private <T> Mono<T> answered(String operation, Mono<T> call) {
		return Mono.defer(() -> {
			Instant start = this.clock.instant();
			return call.doOnEach((signal) -> {
				if (signal.isOnComplete() || signal.isOnError()) {
					this.observer.get()
						.storeRequested(operation, Duration.between(start, this.clock.instant()),
								signal.isOnError() ? signal.getThrowable().getClass().getSimpleName() : "ok");
				}
			}).doOnSuccess((result) -> {
				if (this.failing.compareAndSet(true, false)) {
					logger.info("The shared thread store answers again; new failure cycles use it");
				}
			});
		});
	}

	private <P extends org.reactivestreams.Publisher<?>> P fellBack(String operation, Throwable ex, P fallback) {
		if (this.failing.compareAndSet(false, true)) {
			logger.warn("The shared thread store failed ({}); messages are planned on what this replica knows until "
					+ "it answers again: {}", operation, ex.toString());
		}
		else {
			logger.debug("The shared thread store failed again ({}): {}", operation, ex.toString());
		}
		this.observer.get().storeFellBack(operation, ex);
		return fallback;
	}

	@Override
	public String toString() {
		return "FallbackThreadStore[" + this.shared + "]";
	}

}
