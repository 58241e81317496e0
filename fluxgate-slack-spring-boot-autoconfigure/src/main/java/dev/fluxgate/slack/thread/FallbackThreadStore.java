package dev.fluxgate.slack.thread;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.fluxgate.slack.DeliveryObserver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A shared thread store that never costs an alert: when it fails or is too slow to create a thread, this process's
 * memory keeps it instead; the first failure is logged at WARN with its cause (the next ones at DEBUG until the store
 * answers again), and each is told to the {@link DeliveryObserver}. A thread kept in memory stays there until its
 * cycle ends; new cycles use the shared store again once it answers. A read or a change of a shared thread that
 * fails still fails: it is counted and logged here, and the caller knows it does not know.
 */
public class FallbackThreadStore implements ThreadStore {

	private static final Logger logger = LoggerFactory.getLogger(FallbackThreadStore.class);

	private final ThreadStore shared;

	private final ThreadStore memory = new InMemoryThreadStore();

	private final Supplier<DeliveryObserver> observer;

	private final AtomicBoolean failing = new AtomicBoolean();

	/**
	 * Create a store.
	 * @param shared the shared store, such as Redis
	 * @param observer told of each fallback, looked up on the first one
	 */
	public FallbackThreadStore(ThreadStore shared, Supplier<DeliveryObserver> observer) {
		this.shared = Objects.requireNonNull(shared, "shared must not be null");
		this.observer = Objects.requireNonNull(observer, "observer must not be null");
	}

	/**
	 * Return the shared store.
	 * @return the store this one falls back from
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
		return this.memory.find(circuitBreaker)
			.switchIfEmpty(Mono.defer(() -> answered("find", this.shared.find(circuitBreaker)))
				.onErrorResume((ex) -> failed("find", ex)));
	}

	@Override
	public Mono<Lookup> lookup(String circuitBreaker) {
		return this.memory.lookup(circuitBreaker)
			.filter(Lookup::found)
			.switchIfEmpty(Mono.defer(() -> answered("find", this.shared.lookup(circuitBreaker)))
				.onErrorResume((ex) -> failed("find", ex)));
	}

	@Override
	public Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
		return answered("beat", this.shared.beat(instance, states, silence)).onErrorResume((ex) -> failed("beat", ex));
	}

	@Override
	public Mono<Boolean> create(SlackThread thread) {
		return answered("create", this.shared.create(thread))
			.onErrorResume((ex) -> fellBack("create", ex, this.memory.create(thread)));
	}

	@Override
	public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
		return this.memory.replace(expected, next)
			.flatMap((replaced) -> replaced ? Mono.just(true) : answered("replace", this.shared.replace(expected, next))
				.onErrorResume((ex) -> failed("replace", ex)));
	}

	@Override
	public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
		return this.memory.remove(circuitBreaker, threadTs)
			.flatMap((removed) -> removed ? Mono.just(true) : answered("remove", this.shared.remove(circuitBreaker, threadTs))
				.onErrorResume((ex) -> failed("remove", ex)));
	}

	@Override
	public Mono<Boolean> remove(SlackThread expected) {
		return this.memory.remove(expected)
			.flatMap((removed) -> removed ? Mono.just(true) : answered("remove", this.shared.remove(expected))
				.onErrorResume((ex) -> failed("remove", ex)));
	}

	@Override
	public Mono<Long> count() {
		return this.memory.count()
			.zipWith(answered("count", this.shared.count()).onErrorResume((ex) -> fellBack("count", ex, Mono.just(0L))),
					Long::sum);
	}

	@Override
	public Flux<SlackThread> findAll() {
		return this.memory.findAll()
			.concatWith(answered("findAll", this.shared.findAll().collectList()).flatMapMany(Flux::fromIterable)
				.onErrorResume((ex) -> fellBack("findAll", ex, Flux.empty())));
	}

	private <T> Mono<T> answered(String operation, Mono<T> call) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return call.doOnEach((signal) -> {
				if (signal.isOnComplete() || signal.isOnError()) {
					this.observer.get()
						.storeRequested(operation, Duration.ofNanos(System.nanoTime() - start),
								signal.isOnError() ? signal.getThrowable().getClass().getSimpleName() : "ok");
				}
			}).doOnSuccess((result) -> {
				if (this.failing.compareAndSet(true, false)) {
					logger.info("The shared thread store answers again; new failure cycles use it");
				}
			});
		});
	}

	private <T> Mono<T> failed(String operation, Throwable ex) {
		return fellBack(operation, ex, Mono.error(ex));
	}

	private <P extends org.reactivestreams.Publisher<?>> P fellBack(String operation, Throwable ex, P fallback) {
		if (this.failing.compareAndSet(false, true)) {
			logger.warn("The shared thread store failed ({}); this process keeps its threads in memory until it "
					+ "answers again: {}", operation, ex.toString());
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
