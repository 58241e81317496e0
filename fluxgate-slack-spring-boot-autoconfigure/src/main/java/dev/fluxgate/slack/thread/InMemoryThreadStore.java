package dev.fluxgate.slack.thread;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link ThreadStore} that lives as long as the application, on a {@link ConcurrentMap}: {@code putIfAbsent},
 * a version-checked {@code computeIfPresent} and {@code remove} with the expected root.
 */
public class InMemoryThreadStore implements ThreadStore {

	private final ConcurrentMap<String, SlackThread> threads = new ConcurrentHashMap<>();

	@Override
	public Mono<SlackThread> find(String circuitBreaker) {
		return Mono.fromSupplier(() -> this.threads.get(circuitBreaker));
	}

	@Override
	public Mono<Boolean> create(SlackThread thread) {
		return Mono.fromSupplier(() -> this.threads.putIfAbsent(thread.circuitBreaker(), thread) == null);
	}

	@Override
	public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
		return swap(expected.circuitBreaker(), (current) -> unchanged(current, expected), next);
	}

	@Override
	public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
		return swap(circuitBreaker, (current) -> threadTs.equals(current.threadTs()), null);
	}

	@Override
	public Mono<Boolean> remove(SlackThread expected) {
		return swap(expected.circuitBreaker(), (current) -> unchanged(current, expected), null);
	}

	/**
	 * Put the next thread, or none, in place of a breaker's current one, only if that is the one expected.
	 */
	private Mono<Boolean> swap(String circuitBreaker, Predicate<SlackThread> expected, SlackThread next) {
		return Mono.fromSupplier(() -> {
			AtomicBoolean swapped = new AtomicBoolean();
			this.threads.computeIfPresent(circuitBreaker, (name, current) -> {
				if (expected.test(current)) {
					swapped.set(true);
					return next;
				}
				return current;
			});
			return swapped.get();
		});
	}

	private static boolean unchanged(SlackThread current, SlackThread expected) {
		return Objects.equals(current.threadTs(), expected.threadTs()) && current.version() == expected.version();
	}

	@Override
	public Flux<SlackThread> findAll() {
		return Flux.defer(() -> Flux.fromIterable(List.copyOf(this.threads.values())));
	}

	@Override
	public Mono<Long> count() {
		return Mono.fromSupplier(() -> (long) this.threads.size());
	}

}
