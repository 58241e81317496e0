package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.action.ActionAuthorizer;
import dev.fluxgate.slack.action.ActionSettings;
import dev.fluxgate.slack.action.AllowListAuthorizer;
import dev.fluxgate.slack.action.BreakerAction;
import dev.fluxgate.slack.action.Click;
import dev.fluxgate.slack.action.InMemoryActionStore;
import dev.fluxgate.slack.actuate.DeliveryStatus;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint;
import dev.fluxgate.slack.metrics.SlackMetrics;
import dev.fluxgate.slack.socket.SocketModeClient;
import dev.fluxgate.slack.socket.SocketModeStandIn;
import dev.fluxgate.slack.socket.SocketState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link FluxgateSlackActionsAutoConfiguration}: the buttons are off by default; turned on, they need an app-level
 * token and someone allowed to act; then a click that arrives over the Socket Mode connection acts on the breaker,
 * and the health, metrics and endpoint tell of it, never of the app-level token.
 */
@ExtendWith(OutputCaptureExtension.class)
class FluxgateSlackActionsAutoConfigurationTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	static final SocketModeStandIn socket = new SocketModeStandIn();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class,
				FluxgateSlackActionsAutoConfiguration.class, FluxgateSlackHealthAutoConfiguration.class,
				FluxgateSlackMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL, "fluxgate.slack.token=" + SlackStandIn.TOKEN,
				"fluxgate.slack.base-url=" + slack.baseUrl(), "fluxgate.slack.pacing.enabled=false",
				"fluxgate.slack.mode=sync");

	private final ApplicationContextRunner actionsRunner = this.contextRunner.withPropertyValues(
			"fluxgate.slack.actions.enabled=true", "fluxgate.slack.app-token=" + SocketModeStandIn.APP_TOKEN,
			"fluxgate.slack.actions.allowed-users=U0ALLOWED");

	@BeforeAll
	static void startSocketMode() {
		socket.start();
	}

	@AfterAll
	static void stopSocketMode() {
		socket.close();
	}

	/** Slack's apps.connections.open is answered by the Socket Mode stand-in, the rest of the Web API by Slack's. */
	private static void connectionsOpenAtTheSocketStandIn() {
		slack.stub(post(urlEqualTo("/api/apps.connections.open")).atPriority(1)
			.willReturn(aResponse().proxiedFrom(socket.baseUrl().replace("/api", ""))));
	}

	@Test
	void noButtonsAndNoSocketByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(SocketModeClient.class);
			assertThat(context).doesNotHaveBean(ActionSettings.class);
			assertThat(context.getBean(AbstractSlackListener.class).getActions()).isNull();
		});
	}

	@Test
	void theButtonsNeedAnAppLevelToken() {
		this.contextRunner.withPropertyValues("fluxgate.slack.actions.enabled=true",
				"fluxgate.slack.actions.allowed-users=U0ALLOWED")
			.run((context) -> {
				assertThat(StartupFailures.analysis(context).getDescription()).contains("fluxgate.slack.app-token",
						"(not set)");
				assertThat(StartupFailures.analysis(context).getAction()).contains("SLACK_APP_TOKEN",
						"connections:write");
			});
	}

	@Test
	void aBotTokenIsNotAnAppLevelTokenAndIsNeverShown() {
		this.contextRunner.withPropertyValues("fluxgate.slack.actions.enabled=true",
				"fluxgate.slack.actions.allowed-users=U0ALLOWED", "fluxgate.slack.app-token=xoxb-not-an-app-token")
			.run((context) -> {
				assertThat(StartupFailures.analysis(context).getDescription()).contains("fluxgate.slack.app-token")
					.doesNotContain("xoxb-not-an-app-token");
			});
	}

	@Test
	void theButtonsDenyByDefaultSoStartupNamesBothAllowLists() {
		this.contextRunner.withPropertyValues("fluxgate.slack.actions.enabled=true",
				"fluxgate.slack.app-token=" + SocketModeStandIn.APP_TOKEN)
			.run((context) -> assertThat(StartupFailures.analysis(context).getDescription())
				.contains("fluxgate.slack.actions.allowed-users", "fluxgate.slack.actions.allowed-groups"));
	}

	@Test
	void anAllowedUserMustBeAUserId() {
		this.contextRunner.withPropertyValues("fluxgate.slack.actions.enabled=true",
				"fluxgate.slack.app-token=" + SocketModeStandIn.APP_TOKEN,
				"fluxgate.slack.actions.allowed-users=@alice")
			.run((context) -> assertThat(StartupFailures.analysis(context).getDescription())
				.contains("fluxgate.slack.actions.allowed-users", "\"@alice\""));
	}

	@Test
	void theButtonsNeedTheRootsEditsThatRedrawThem() {
		this.actionsRunner.withPropertyValues("fluxgate.slack.update-root=false")
			.run((context) -> assertThat(StartupFailures.analysis(context).getDescription())
				.contains("fluxgate.slack.update-root", "false"));
	}

	@Test
	void aMaxBackoffShorterThanTheInitialBackoffIsAClearStartupError() {
		this.actionsRunner
			.withPropertyValues("fluxgate.slack.actions.socket.initial-backoff=10s",
					"fluxgate.slack.actions.socket.max-backoff=2s")
			.run((context) -> assertThat(StartupFailures.analysis(context).getDescription())
				.contains("fluxgate.slack.actions.socket.max-backoff", "PT2S"));
	}

	@Test
	void turnedOnTheListenerDrawsButtonsAndEachCollaboratorIsABean() {
		this.actionsRunner.run((context) -> {
			assertThat(context).hasSingleBean(SocketModeClient.class);
			assertThat(context).hasSingleBean(AllowListAuthorizer.class);
			assertThat(context).hasSingleBean(InMemoryActionStore.class);
			assertThat(context.getBean(AbstractSlackListener.class).getActions()).isNotNull();
		});
	}

	@Test
	void theSocketClosesBeforeTheWebServersGracefulShutdownSoNoClickActsOnAnApplicationGoingAway() {
		this.actionsRunner.run((context) -> assertThat(
				context.getBean("slackSocketModeLifecycle", SmartLifecycle.class).getPhase())
			.isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE));
	}

	@Test
	void anAuthorizerOfYourOwnReplacesTheAllowLists() {
		ActionAuthorizer everyone = (user) -> Mono.just(true);
		this.actionsRunner.withBean(ActionAuthorizer.class, () -> everyone).run((context) -> {
			assertThat(context).doesNotHaveBean(AllowListAuthorizer.class);
			assertThat(context.getBean(ActionSettings.class).authorizer()).isSameAs(everyone);
		});
	}

	@Test
	void theAppLevelTokenIsMaskedInTheActuator() {
		this.actionsRunner.run((context) -> {
			SanitizingFunction sanitizer = context.getBean(SanitizingFunction.class);
			assertThat(sanitizer.apply(new SanitizableData(null, "fluxgate.slack.app-token", SocketModeStandIn.APP_TOKEN))
				.getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(sanitizer.apply(new SanitizableData(null, "SLACK_APP_TOKEN", SocketModeStandIn.APP_TOKEN))
				.getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(sanitizer.apply(new SanitizableData(null, "some.url", "wss://x?t=" + SocketModeStandIn.APP_TOKEN))
				.getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
		});
	}

	@Test
	void aClickOverSocketModeForcesTheBreakerOpenAndIsCountedShownAndNeverLeaksTheAppToken(CapturedOutput output) {
		connectionsOpenAtTheSocketStandIn();
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.setLogLevel("dev.fluxgate", LogLevel.TRACE);
		logging.setLogLevel("reactor.netty", LogLevel.DEBUG);
		logging.setLogLevel("org.springframework.web.reactive", LogLevel.TRACE);
		try {
			clickOverSocketMode(registry);
		}
		finally {
			for (String logger : new String[] { "dev.fluxgate", "reactor.netty", "org.springframework.web.reactive" }) {
				logging.setLogLevel(logger, null);
			}
		}
		assertThat(output.getAll()).contains("applied FORCE_OPEN", "apps.connections.open").doesNotContain("xapp-");
	}

	private void clickOverSocketMode(CircuitBreakerRegistry registry) {
		this.actionsRunner.withBean(CircuitBreakerRegistry.class, () -> registry)
			.run((context) -> {
				SocketModeClient client = context.getBean(SocketModeClient.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> client.state() == SocketState.CONNECTED);
				assertThat(context.getBean(DeliveryStatus.class).getSocketState()).contains(SocketState.CONNECTED);
				CircuitBreaker breaker = registry.circuitBreaker("payment-api");
				breaker.transitionToOpenState();
				Post root = slack.posts().get(slack.posts().size() - 1);
				assertThat(root.buttons()).contains("fluxgate_force_open");
				String envelope = socket.push("interactive", Click.on("U0ALLOWED", root, BreakerAction.FORCE_OPEN)
					.payload());
				await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == State.FORCED_OPEN);
				assertThat(socket.acks()).extracting(SocketModeStandIn.Ack::envelopeId).contains(envelope);
				await().until(() -> slack.posts()
					.stream()
					.anyMatch((post) -> "<@U0ALLOWED> forced payment-api open on 1 instance".equals(post.text())));
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get(SlackMetrics.ACTIONS).tag("action", "force_open").tag("outcome", "applied")
					.counter()
					.count()).isEqualTo(1);
				assertThat(meters.get(SlackMetrics.SOCKET_ENVELOPES).tag("type", "interactive").counter().count())
					.isEqualTo(1);
				SlackThreadsEndpoint endpoint = new SlackThreadsEndpoint(context.getBean(AbstractSlackListener.class));
				assertThat(endpoint.threads().block().threads()).singleElement()
					.satisfies((thread) -> assertThat(thread.state()).isEqualTo("FORCED_OPEN"));
				assertThat(String.valueOf(endpoint.threads().block())).doesNotContain("xapp-");
				assertThat(String.valueOf(client)).doesNotContain("xapp-");
			});
	}

	@Test
	void theEndpointShowsWhoAcknowledgedAndUntilWhenAThreadIsSilenced() {
		connectionsOpenAtTheSocketStandIn();
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		this.actionsRunner.withBean(CircuitBreakerRegistry.class, () -> registry).run((context) -> {
			AbstractSlackListener listener = context.getBean(AbstractSlackListener.class);
			listener.getActions().connected(Click.APP);
			CircuitBreaker breaker = registry.circuitBreaker("inventory");
			breaker.transitionToOpenState();
			Post root = slack.posts().get(slack.posts().size() - 1);
			listener.getActions().handle(Click.on("U0ALLOWED", root, BreakerAction.ACKNOWLEDGE).envelope()).block();
			listener.getActions().handle(Click.on("U0ALLOWED", root, BreakerAction.SILENCE_2_HOURS).envelope()).block();
			List<SlackThreadsEndpoint.ThreadDescriptor> threads = new SlackThreadsEndpoint(listener).threads()
				.block()
				.threads();
			assertThat(threads).singleElement().satisfies((thread) -> {
				assertThat(thread.acknowledgedBy()).isEqualTo("U0ALLOWED");
				assertThat(thread.silencedUntil()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(119)));
			});
		});
	}

}
