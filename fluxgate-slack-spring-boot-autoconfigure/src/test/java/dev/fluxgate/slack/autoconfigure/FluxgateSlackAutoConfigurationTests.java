package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FluxgateSlackAutoConfiguration}: when it applies or backs off, which listener and collaborators it creates,
 * and which of them a user's beans replace.
 */
@ExtendWith(OutputCaptureExtension.class)
class FluxgateSlackAutoConfigurationTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class));

	private final ApplicationContextRunner configuredRunner = this.contextRunner.withPropertyValues(
			"fluxgate.slack.channel=" + SlackStandIn.CHANNEL, "fluxgate.slack.token=" + SlackStandIn.TOKEN,
			"fluxgate.slack.base-url=" + slack.baseUrl(), "fluxgate.slack.pacing.enabled=false");

	@Test
	void backsOffWithOneInfoLineWhenNeitherChannelNorTokenIsSet(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(AbstractSlackListener.class);
			assertThat(context).doesNotHaveBean(SlackClient.class);
		});
		assertThat(output).containsOnlyOnce("set SLACK_BOT_TOKEN and SLACK_CHANNEL_ID");
	}

	@Test
	void createsAsyncListenerByDefault() {
		this.configuredRunner.run((context) -> {
			assertThat(context).hasSingleBean(AsyncSlackListener.class);
			assertThat(context).doesNotHaveBean(SlackListener.class);
			assertThat(context).hasSingleBean(WebClientSlackClient.class);
			assertThat(context).hasSingleBean(InMemoryThreadStore.class);
			assertThat(context).hasSingleBean(MessageRenderer.class);
			assertThat(context).hasSingleBean(SlackCircuitBreakerBinder.class);
			assertThat(context.getBean(Templates.class)).isEqualTo(Templates.defaults());
		});
	}

	@Test
	void createsSyncListenerInSyncMode() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.mode=sync", "fluxgate.slack.timeout=2s")
			.run((context) -> {
				assertThat(context).hasSingleBean(SlackListener.class);
				assertThat(context).doesNotHaveBean(AsyncSlackListener.class);
				assertThat(context.getBean(SlackListener.class).getDeadline()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void appliesAsyncSettings() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.queue-capacity=1").run((context) -> {
			AsyncSlackListener listener = context.getBean(AsyncSlackListener.class);
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
			slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(500)));
			listener.bindTo(circuitBreaker);
			circuitBreaker.transitionToOpenState();
			circuitBreaker.transitionToHalfOpenState();
			assertThat(listener.getDropped()).isEqualTo(1);
		});
	}

	@Test
	void closingTheContextFlushesTheAsyncListener() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		this.configuredRunner.run((context) -> {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
			context.getBean(AbstractSlackListener.class).bindTo(circuitBreaker);
			circuitBreaker.transitionToOpenState();
			circuitBreaker.transitionToHalfOpenState();
		});
		assertThat(slack.delivered()).hasSize(2);
	}

	@Test
	void createsNothingWhenDisabled() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(AbstractSlackListener.class);
			assertThat(context).doesNotHaveBean(FluxgateSlackProperties.class);
		});
	}

	@Test
	void backsOffWithoutWebClient() {
		this.configuredRunner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(AbstractSlackListener.class));
	}

	@Test
	void backsOffWithoutResilience4j() {
		this.configuredRunner.withClassLoader(new FilteredClassLoader(CircuitBreaker.class))
			.run((context) -> assertThat(context).doesNotHaveBean(AbstractSlackListener.class));
	}

	@Test
	void failsWithoutJackson() {
		this.configuredRunner
			.withClassLoader(new FilteredClassLoader("tools.jackson.databind", "com.fasterxml.jackson.databind"))
			.run((context) -> assertThat(StartupFailures.analysis(context).getAction()).contains("spring-boot-starter-jackson"));
	}

	@Test
	void failsWhenOnlyTheTokenIsSet() {
		this.contextRunner.withPropertyValues("fluxgate.slack.token=" + SlackStandIn.TOKEN)
			.run((context) -> assertThat(StartupFailures.analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.channel")
					.contains("Value: (not set)")
					.doesNotContain(SlackStandIn.TOKEN);
				assertThat(analysis.getAction()).contains("SLACK_CHANNEL_ID");
			}));
	}

	@Test
	void failsWhenOnlyTheChannelIsSet() {
		this.contextRunner.withPropertyValues("fluxgate.slack.channel=C1")
			.run((context) -> assertThat(StartupFailures.analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.token");
				assertThat(analysis.getAction()).contains("SLACK_BOT_TOKEN").contains("xoxb-");
			}));
	}

	@Test
	void usesTheContextsWebClientBuilder() {
		this.configuredRunner.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class))
			.withBean("markerCustomizer", org.springframework.boot.webclient.WebClientCustomizer.class,
					() -> (builder) -> builder.defaultHeader("X-App", "from-context"))
			.run((context) -> {
				postOneTransition(context.getBean(AbstractSlackListener.class));
				assertThat(slack.awaitPosts(1).get(0).header("X-App")).isEqualTo("from-context");
			});
	}

	@Test
	void userBeansReplaceEachCollaborator() {
		SlackClient client = WebClientSlackClient.builder().token("xoxb-user").baseUrl(slack.baseUrl()).build();
		Templates templates = Templates.defaults().withFallback(new Template("Mine", "#123456", "mine"));
		ThreadStore threadStore = new InMemoryThreadStore();
		MessageRenderer renderer = new DefaultMessageRenderer();
		this.configuredRunner.withBean(SlackClient.class, () -> client)
			.withBean(Templates.class, () -> templates)
			.withBean(ThreadStore.class, () -> threadStore)
			.withBean(MessageRenderer.class, () -> renderer)
			.run((context) -> {
				assertThat(context.getBean(SlackClient.class)).isSameAs(client);
				assertThat(context.getBean(Templates.class)).isSameAs(templates);
				assertThat(context.getBean(ThreadStore.class)).isSameAs(threadStore);
				assertThat(context.getBean(MessageRenderer.class)).isSameAs(renderer);
				AbstractSlackListener listener = context.getBean(AbstractSlackListener.class);
				assertThat(listener.getThreadStore()).isSameAs(threadStore);
				assertThat(listener.getTemplates()).isEqualTo(templates);
			});
	}

	@Test
	void rootIsLeftAloneWhenUpdatesAreOff() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.mode=sync", "fluxgate.slack.update-root=false")
			.run((context) -> {
				CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
				context.getBean(AbstractSlackListener.class).bindTo(circuitBreaker);
				circuitBreaker.transitionToOpenState();
				circuitBreaker.transitionToHalfOpenState();
				assertThat(slack.posts()).hasSize(2);
				assertThat(slack.updates()).isEmpty();
			});
	}

	private static void postOneTransition(AbstractSlackListener listener) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
	}

}
