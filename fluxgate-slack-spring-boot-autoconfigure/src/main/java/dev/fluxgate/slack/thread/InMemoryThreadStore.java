package dev.fluxgate.slack.thread;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
		return Mono.fromSupplier(() -> {
			AtomicBoolean replaced = new AtomicBoolean();
			this.threads.computeIfPresent(expected.circuitBreaker(), (name, current) -> {
				if (unchanged(current, expected)) {
					replaced.set(true);
					return next;
				}
				return current;
			});
			return replaced.get();
		});
	}

	@Override
	public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
		return Mono.fromSupplier(() -> {
			AtomicBoolean removed = new AtomicBoolean();
			this.threads.computeIfPresent(circuitBreaker, (name, current) -> {
				if (threadTs.equals(current.threadTs())) {
					removed.set(true);
					return null;
				}
				return current;
			});
			return removed.get();
		});
	}

	@Override
	public Mono<Boolean> remove(SlackThread expected) {
		return Mono.fromSupplier(() -> {
			AtomicBoolean removed = new AtomicBoolean();
			this.threads.computeIfPresent(expected.circuitBreaker(), (name, current) -> {
				if (unchanged(current, expected)) {
					removed.set(true);
					return null;
				}
				return current;
			});
			return removed.get();
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
