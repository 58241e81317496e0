package dev.fluxgate.slack.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.resilience4j.RegistryBinding;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * Binds the Slack listener to the application's circuit breakers: fed by the registry resilience4j-spring-boot builds,
 * and binding any other {@link CircuitBreakerRegistry} bean once the context is up. The listener is looked up on the
 * first breaker, so that creating the registry early (as Resilience4j's aspect does) does not create it too; while
 * Spring AOT processes the application nothing is bound.
 */
public class SlackCircuitBreakerBinder extends RegistryBinding implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(SlackCircuitBreakerBinder.class);

	private final Supplier<AbstractSlackListener> listener;

	private final ObjectProvider<CircuitBreakerRegistry> registries;

	public SlackCircuitBreakerBinder(AbstractSlackListener listener,
			ObjectProvider<CircuitBreakerRegistry> registries) {
		this(() -> listener, registries);
	}

	public SlackCircuitBreakerBinder(ObjectProvider<AbstractSlackListener> listener,
			ObjectProvider<CircuitBreakerRegistry> registries) {
		this(listener::getObject, registries);
	}

	private SlackCircuitBreakerBinder(Supplier<AbstractSlackListener> listener,
			ObjectProvider<CircuitBreakerRegistry> registries) {
		super(listener);
		this.listener = listener;
		this.registries = registries;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!isActive()) {
			return;
		}
		AbstractSlackListener slackListener = this.listener.get();
		List<CircuitBreakerRegistry> found = this.registries.orderedStream().toList();
		if (found.isEmpty()) {
			logger.info("No CircuitBreakerRegistry bean: no circuit breaker is announced in Slack. Add "
					+ "resilience4j-spring-boot4, or call bindTo(...) on the {} bean",
					slackListener.getClass().getSimpleName());
		}
		found.forEach(slackListener::bindTo);
	}

	/**
	 * Nothing is bound while Spring AOT processes the application.
	 */
	@Override
	protected boolean isActive() {
		return !Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING);
	}

}
