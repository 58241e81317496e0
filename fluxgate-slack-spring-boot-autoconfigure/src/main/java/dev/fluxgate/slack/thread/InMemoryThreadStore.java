package dev.fluxgate.slack.thread;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link ThreadStore} that lives as long as the application, on a {@link ConcurrentMap}: {@code putIfAbsent},
 * a version-checked {@code computeIfPresent} and {@code remove} with the expected root. One made
 * {@link #shared(Clock) shared} stands for a store several listeners share, as replicas share Redis: it follows the
 * same contract, on the clock it is given.
 */
public class InMemoryThreadStore implements ThreadStore {

	private final ConcurrentMap<String, SlackThread> threads = new ConcurrentHashMap<>();

	private final Clock clock;

	private final boolean shared;

	/**
	 * Create a store of this process's threads.
	 */
	public InMemoryThreadStore() {
		this(Clock.systemUTC(), false);
	}

	private InMemoryThreadStore(Clock clock, boolean shared) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.shared = shared;
	}

	/**
	 * Create a store that several listeners in this process share as one fleet, on the given clock.
	 * @param clock the store's clock, which stamps heartbeats and answers lookups
	 * @return the store
	 */
	public static InMemoryThreadStore shared(Clock clock) {
		return new InMemoryThreadStore(clock, true);
	}

	@Override
	public boolean isShared() {
		return this.shared;
	}

	@Override
	public Mono<SlackThread> find(String circuitBreaker) {
		return Mono.fromSupplier(() -> this.threads.get(circuitBreaker));
	}

	@Override
	public Mono<Lookup> lookup(String circuitBreaker) {
		return Mono.fromSupplier(() -> new Lookup(this.threads.get(circuitBreaker), this.clock.instant()));
	}

	@Override
	public Mono<Boolean> create(SlackThread thread) {
		return Mono.fromSupplier(() -> this.threads.putIfAbsent(thread.circuitBreaker(),
				stamped(thread, thread.fleet().writtenOver(Fleet.NONE, Fleet.NONE, this.clock.instant()))) == null);
	}

	@Override
	public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
		return swap(expected.circuitBreaker(), (current) -> unchanged(current, expected),
				(current) -> stamped(next, next.fleet().writtenOver(expected.fleet(), current.fleet(),
						this.clock.instant())));
	}

	@Override
	public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
		return swap(circuitBreaker, (current) -> threadTs.equals(current.threadTs()), (current) -> null);
	}

	@Override
	public Mono<Boolean> remove(SlackThread expected) {
		return swap(expected.circuitBreaker(), (current) -> unchanged(current, expected), (current) -> null);
	}

	@Override
	public Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
		return Mono.fromSupplier(() -> {
			Instant now = this.clock.instant();
			Set<String> gone = new HashSet<>();
			states.forEach((name, state) -> {
				AtomicBoolean renewed = new AtomicBoolean();
				this.threads.computeIfPresent(name, (key, current) -> {
					if (current.isClaim() || !current.fleet().members().containsKey(instance)) {
						return current;
					}
					renewed.set(true);
					Fleet fleet = current.fleet();
					return current.withFleet(fleet.with(instance, state).writtenOver(fleet, fleet, now));
				});
				if (!renewed.get()) {
					gone.add(name);
				}
			});
			List<String> abandoned = this.threads.values()
				.stream()
				.filter((thread) -> thread.fleet()
					.lastSignOfLife()
					.map((last) -> last.plus(silence).isBefore(now))
					.orElse(false))
				.map(SlackThread::circuitBreaker)
				.sorted()
				.toList();
			return new Beat(gone, abandoned);
		});
	}

	/**
	 * Put the next thread, or none, in place of a breaker's current one, only if that is the one expected.
	 */
	private Mono<Boolean> swap(String circuitBreaker, Predicate<SlackThread> expected,
			UnaryOperator<SlackThread> next) {
		return Mono.fromSupplier(() -> {
			AtomicBoolean swapped = new AtomicBoolean();
			this.threads.computeIfPresent(circuitBreaker, (name, current) -> {
				if (expected.test(current)) {
					swapped.set(true);
					return next.apply(current);
				}
				return current;
			});
			return swapped.get();
		});
	}

	private static SlackThread stamped(SlackThread thread, Fleet fleet) {
		return new SlackThread(thread.circuitBreaker(), thread.channel(), thread.threadTs(), thread.state(),
				thread.openedAt(), thread.lastTransitionAt(), thread.messages(), thread.root(), thread.version(), fleet,
				thread.stateSince());
	}

	private static boolean unchanged(SlackThread current, SlackThread expected) {
		return Objects.equals(current.threadTs(), expected.threadTs()) && current.version() == expected.version()
				&& Objects.equals(current.fleet().claimedBy(), expected.fleet().claimedBy())
				&& Objects.equals(current.fleet().claimUntil(), expected.fleet().claimUntil());
	}

	@Override
	public Flux<SlackThread> findAll() {
		return Flux.defer(() -> Flux.fromIterable(List.copyOf(this.threads.values())));
	}

	@Override
	public Mono<Long> count() {
		return Mono.fromSupplier(() -> (long) this.threads.size());
	}

	@Override
	public String toString() {
		return "InMemoryThreadStore[shared=" + this.shared + "]";
	}

}
