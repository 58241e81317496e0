package dev.fluxgate.slack.resilience4j;

import java.util.Objects;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.registry.EntryAddedEvent;
import io.github.resilience4j.core.registry.EntryRemovedEvent;
import io.github.resilience4j.core.registry.EntryReplacedEvent;
import io.github.resilience4j.core.registry.RegistryEventConsumer;

/**
 * Keeps a target bound to the circuit breakers of a registry as they come and go: added breakers are bound, removed
 * ones released, replaced ones released and the new one bound. The one place that handles a registry's events, for
 * {@code bindTo(registry)} and for the registry Resilience4j's Spring Boot support builds.
 */
public class RegistryBinding implements RegistryEventConsumer<CircuitBreaker> {

	private final Supplier<? extends CircuitBreakerTarget> target;

	/**
	 * Create a binding.
	 * @param target the target, looked up on the first event
	 */
	public RegistryBinding(Supplier<? extends CircuitBreakerTarget> target) {
		this.target = Objects.requireNonNull(target, "target must not be null");
	}

	/**
	 * Bind every circuit breaker of a registry, now and later.
	 * @param registry the registry
	 */
	public void bindAll(CircuitBreakerRegistry registry) {
		registry.getEventPublisher()
			.onEntryAdded(this::onEntryAddedEvent)
			.onEntryRemoved(this::onEntryRemovedEvent)
			.onEntryReplaced(this::onEntryReplacedEvent);
		if (isActive()) {
			registry.getAllCircuitBreakers().forEach(this.target.get()::bindTo);
		}
	}

	@Override
	public void onEntryAddedEvent(EntryAddedEvent<CircuitBreaker> event) {
		if (isActive()) {
			this.target.get().bindTo(event.getAddedEntry());
		}
	}

	@Override
	public void onEntryRemovedEvent(EntryRemovedEvent<CircuitBreaker> event) {
		if (isActive()) {
			this.target.get().release(event.getRemovedEntry());
		}
	}

	@Override
	public void onEntryReplacedEvent(EntryReplacedEvent<CircuitBreaker> event) {
		if (isActive()) {
			this.target.get().release(event.getOldEntry());
			this.target.get().bindTo(event.getNewEntry());
		}
	}

	/**
	 * Whether events are acted on; override to pause the binding, as while an application is processed ahead of time.
	 * @return {@code true} by default
	 */
	protected boolean isActive() {
		return true;
	}

}
