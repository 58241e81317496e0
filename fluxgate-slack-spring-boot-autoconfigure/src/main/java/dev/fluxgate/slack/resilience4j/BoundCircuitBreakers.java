package dev.fluxgate.slack.resilience4j;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;

/**
 * The circuit breakers a listener is bound to. Resilience4j cannot unsubscribe a consumer, so a released breaker's
 * later events are ignored here.
 */
public final class BoundCircuitBreakers {

	private final Predicate<String> filter;

	private final BiConsumer<CircuitBreakerOnStateTransitionEvent, CircuitBreaker> announcer;

	private final Set<CircuitBreaker> bound = ConcurrentHashMap.newKeySet();

	private final ConcurrentMap<String, Integer> names = new ConcurrentHashMap<>();

	private volatile boolean binding;

	/**
	 * Create the bindings of a listener.
	 * @param filter which breakers, by name, are bound
	 * @param announcer told each transition of a bound breaker
	 */
	public BoundCircuitBreakers(Predicate<String> filter,
			BiConsumer<CircuitBreakerOnStateTransitionEvent, CircuitBreaker> announcer) {
		this.filter = Objects.requireNonNull(filter, "filter must not be null");
		this.announcer = Objects.requireNonNull(announcer, "announcer must not be null");
	}

	/**
	 * Announce the transitions of a circuit breaker, unless the filter leaves it out. Binding the same instance twice
	 * has no effect.
	 * @param circuitBreaker the circuit breaker
	 * @return whether it was bound now
	 */
	public boolean bind(CircuitBreaker circuitBreaker) {
		if (this.filter.test(circuitBreaker.getName()) && this.bound.add(circuitBreaker)) {
			this.binding = true;
			this.names.merge(circuitBreaker.getName(), 1, Integer::sum);
			circuitBreaker.getEventPublisher().onStateTransition((event) -> {
				if (this.bound.contains(circuitBreaker)) {
					this.announcer.accept(event, circuitBreaker);
				}
			});
			return true;
		}
		return false;
	}

	/**
	 * Stop announcing a circuit breaker.
	 * @param circuitBreaker the circuit breaker
	 * @return whether it was bound
	 */
	public boolean release(CircuitBreaker circuitBreaker) {
		if (!this.bound.remove(circuitBreaker)) {
			return false;
		}
		this.names.computeIfPresent(circuitBreaker.getName(), (name, count) -> (count > 1) ? count - 1 : null);
		return true;
	}

	/**
	 * Whether the threads of a circuit breaker are kept: not once it was released, so that a delivery that finishes
	 * after its breaker left writes no thread. A listener that was never bound, and is told transitions by hand, keeps
	 * every thread.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether its threads are kept
	 */
	public boolean keepsThreadsOf(String circuitBreaker) {
		return !this.binding || this.names.containsKey(circuitBreaker);
	}

	/**
	 * Return the bound circuit breakers of a name: one, unless registries share names.
	 * @param circuitBreaker the circuit breaker's name
	 * @return the bound instances
	 */
	public List<CircuitBreaker> named(String circuitBreaker) {
		return this.bound.stream().filter((bound) -> bound.getName().equals(circuitBreaker)).toList();
	}

}
