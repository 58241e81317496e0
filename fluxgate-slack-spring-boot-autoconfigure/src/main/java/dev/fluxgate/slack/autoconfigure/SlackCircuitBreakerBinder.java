package dev.fluxgate.slack.autoconfigure;

import java.util.List;

import dev.fluxgate.slack.AbstractSlackListener;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.registry.EntryAddedEvent;
import io.github.resilience4j.core.registry.EntryRemovedEvent;
import io.github.resilience4j.core.registry.EntryReplacedEvent;
import io.github.resilience4j.core.registry.RegistryEventConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds the Slack listener to the application's circuit breakers: fed by the registry resilience4j-spring-boot builds,
 * and binding any other {@link CircuitBreakerRegistry} bean once the context is up.
 */
public class SlackCircuitBreakerBinder implements RegistryEventConsumer<CircuitBreaker>, SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(SlackCircuitBreakerBinder.class);

	private final AbstractSlackListener listener;

	private final ObjectProvider<CircuitBreakerRegistry> registries;

	public SlackCircuitBreakerBinder(AbstractSlackListener listener,
			ObjectProvider<CircuitBreakerRegistry> registries) {
		this.listener = listener;
		this.registries = registries;
	}

	@Override
	public void onEntryAddedEvent(EntryAddedEvent<CircuitBreaker> event) {
		this.listener.bindTo(event.getAddedEntry());
	}

	@Override
	public void onEntryRemovedEvent(EntryRemovedEvent<CircuitBreaker> event) {
		this.listener.release(event.getRemovedEntry());
	}

	@Override
	public void onEntryReplacedEvent(EntryReplacedEvent<CircuitBreaker> event) {
		this.listener.release(event.getOldEntry());
		this.listener.bindTo(event.getNewEntry());
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<CircuitBreakerRegistry> found = this.registries.orderedStream().toList();
		if (found.isEmpty()) {
			logger.info("No CircuitBreakerRegistry bean: no circuit breaker is announced in Slack. Add "
					+ "resilience4j-spring-boot4, or call bindTo(...) on the {} bean",
					this.listener.getClass().getSimpleName());
		}
		found.forEach(this.listener::bindTo);
	}

}
