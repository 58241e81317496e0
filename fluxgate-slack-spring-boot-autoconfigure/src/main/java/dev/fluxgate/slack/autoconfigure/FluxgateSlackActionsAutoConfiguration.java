package dev.fluxgate.slack.autoconfigure;

import java.util.List;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.action.ActionAuthorizer;
import dev.fluxgate.slack.action.ActionObserver;
import dev.fluxgate.slack.action.ActionSettings;
import dev.fluxgate.slack.action.ActionStore;
import dev.fluxgate.slack.action.AllowListAuthorizer;
import dev.fluxgate.slack.action.BreakerAction;
import dev.fluxgate.slack.action.InMemoryActionStore;
import dev.fluxgate.slack.action.SlackActions;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.socket.SocketModeClient;
import dev.fluxgate.slack.socket.SocketObserver;
import dev.fluxgate.slack.socket.SocketState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the buttons on each thread's root: who may act, where the actions are kept, and the Socket
 * Mode connection the clicks arrive on. On with {@code fluxgate.slack.actions.enabled=true}.
 */
@AutoConfiguration(after = { FluxgateSlackAutoConfiguration.class, FluxgateSlackRedisAutoConfiguration.class })
@ConditionalOnClass({ WebClient.class, CircuitBreaker.class, HttpClient.class })
@ConditionalOnBooleanProperty("fluxgate.slack.actions.enabled")
@Conditional(OnSlackConfiguredCondition.class)
@EnableConfigurationProperties(FluxgateSlackProperties.class)
public final class FluxgateSlackActionsAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(FluxgateSlackActionsAutoConfiguration.class);

	private final FluxgateSlackProperties properties;

	private final String appToken;

	FluxgateSlackActionsAutoConfiguration(FluxgateSlackProperties properties, Environment environment) {
		this.properties = properties;
		this.appToken = SlackSettings.appToken(properties, environment);
		SlackPropertiesValidator.validateActions(properties, this.appToken);
	}

	@Bean
	@ConditionalOnMissingBean(ActionAuthorizer.class)
	AllowListAuthorizer slackActionAuthorizer(SlackClient client) {
		FluxgateSlackProperties.Actions actions = this.properties.getActions();
		return new AllowListAuthorizer(actions.getAllowedUsers(), actions.getAllowedGroups(), client,
				actions.getGroupMembersTtl());
	}

	@Bean
	@ConditionalOnMissingBean(ActionStore.class)
	InMemoryActionStore slackActionStore() {
		return new InMemoryActionStore();
	}

	@Bean
	@ConditionalOnMissingBean(ActionSettings.class)
	ActionSettings slackActionSettings(ActionAuthorizer authorizer, ActionStore store,
			ObjectProvider<ActionObserver> observers) {
		List<ActionObserver> all = observers.orderedStream().toList();
		ActionObserver observer = new ActionObserver() {
			@Override
			public void clicked(BreakerAction action, Outcome outcome) {
				for (ActionObserver each : all) {
					try {
						each.clicked(action, outcome);
					}
					catch (RuntimeException ex) {
						logger.warn("An action observer failed", ex);
					}
				}
			}
		};
		return new ActionSettings(authorizer, store, observer, this.properties.getActions().getReconcileInterval(),
				this.properties.getMention());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(SocketModeClient.class)
	SocketModeClient slackSocketModeClient(AbstractSlackListener listener, ObjectProvider<SocketObserver> observers,
			ObjectProvider<WebClient.Builder> webClientBuilder, BeanFactory beanFactory,
			ResourceLoader resourceLoader) {
		SlackActions actions = listener.getActions();
		if (actions == null) {
			throw new InvalidSlackPropertyException("fluxgate.slack.actions.enabled", "true",
					"the listener bean " + listener.getClass().getSimpleName() + " draws no buttons",
					"A listener bean of your own must take the buttons' settings: call .actions(actionSettings) on "
							+ "its builder with the ActionSettings bean, or set fluxgate.slack.actions.enabled=false.");
		}
		FluxgateSlackProperties.Actions.Socket socket = this.properties.getActions().getSocket();
		List<SocketObserver> all = observers.orderedStream().toList();
		WebClientSlackClient connections = WebClientSlackClient.builder()
			.token(this.appToken)
			.baseUrl(this.properties.getBaseUrl())
			.timeout(this.properties.getTimeout())
			.webClientBuilder(webClientBuilder.getIfAvailable())
			.connector(NoRedirectConnector.of(beanFactory, resourceLoader.getClassLoader()))
			.build();
		return SocketModeClient.builder()
			.connections(connections)
			.handler(actions)
			.observer(new SocketObservers(all))
			.pingInterval(socket.getPingInterval())
			.idleTimeout(socket.getIdleTimeout())
			.initialBackoff(socket.getInitialBackoff())
			.maxBackoff(socket.getMaxBackoff())
			.build();
	}

	/**
	 * Open the Socket Mode connection once the application is started, its breakers bound, and close it on shutdown
	 * before the web server's graceful shutdown begins, so that no click is applied to an application going away; each
	 * connection's {@code hello} tells the actions the app's ID and makes them reconcile.
	 */
	@Bean
	SmartLifecycle slackSocketModeLifecycle(SocketModeClient socket, AbstractSlackListener listener) {
		return new SmartLifecycle() {

			private volatile Disposable hellos;

			@Override
			public void start() {
				SlackActions actions = listener.getActions();
				this.hellos = socket.connected().subscribe(actions::connected);
				socket.start();
			}

			@Override
			public void stop() {
				Disposable subscription = this.hellos;
				if (subscription != null) {
					subscription.dispose();
				}
				socket.close();
			}

			@Override
			public boolean isRunning() {
				return this.hellos != null && socket.state() != SocketState.STOPPED;
			}

			@Override
			public int getPhase() {
				return SmartLifecycle.DEFAULT_PHASE - 512;
			}

		};
	}

	/**
	 * Tells every {@link SocketObserver} bean, one failing observer not keeping the others from being told.
	 */
	private record SocketObservers(List<SocketObserver> all) implements SocketObserver {

		@Override
		public void stateChanged(SocketState state) {
			this.all.forEach((observer) -> observer.stateChanged(state));
		}

		@Override
		public void reconnecting(String reason) {
			this.all.forEach((observer) -> observer.reconnecting(reason));
		}

		@Override
		public void envelope(String type) {
			this.all.forEach((observer) -> observer.envelope(type));
		}

	}

}
