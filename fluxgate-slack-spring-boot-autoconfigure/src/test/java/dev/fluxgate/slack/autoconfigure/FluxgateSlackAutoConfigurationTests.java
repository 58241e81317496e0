package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

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
	void fallsBackToTheSeedsEnvironmentVariables() {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource("env", Map.of("SLACK_CHANNEL_ID", "CENV",
						"SLACK_BOT_TOKEN", SlackStandIn.TOKEN))))
			.withPropertyValues("fluxgate.slack.base-url=" + slack.baseUrl())
			.run((context) -> {
				AbstractSlackListener listener = context.getBean(AbstractSlackListener.class);
				assertThat(listener.getChannel()).isEqualTo("CENV");
				postOneTransition(listener);
				assertThat(slack.awaitPosts(1).get(0).header("Authorization")).isEqualTo("Bearer " + SlackStandIn.TOKEN);
			});
	}

	@Test
	void relaxedBindingReadsFluxgateEnvironmentVariables() {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource("env", Map.of("FLUXGATE_SLACK_CHANNEL", "CRELAXED",
						"FLUXGATE_SLACK_TOKEN", SlackStandIn.TOKEN, "SLACK_CHANNEL_ID", "CSEED"))))
			.withPropertyValues("fluxgate.slack.base-url=" + slack.baseUrl())
			.run((context) -> assertThat(context.getBean(AbstractSlackListener.class).getChannel())
				.isEqualTo("CRELAXED"));
	}

	@Test
	void mergesTemplatesFromPropertiesFieldByField() {
		this.configuredRunner
			.withPropertyValues("fluxgate.slack.templates.closed-to-open.title=Down!",
					"fluxgate.slack.templates.half-open-to-closed.color=#00FF00",
					"fluxgate.slack.templates.closed-to-forced-open.title=Forced",
					"fluxgate.slack.fallback-template.description=Something changed.")
			.run((context) -> {
				Templates templates = context.getBean(Templates.class);
				Templates defaults = Templates.defaults();
				assertThat(templates.forTransition(Transition.of(State.CLOSED, State.OPEN)))
					.isEqualTo(new Template("Down!", "#FF4C4C", "The request failure rate exceeded the threshold."));
				assertThat(templates.forTransition(Transition.of(State.HALF_OPEN, State.CLOSED)).color())
					.isEqualTo("#00FF00");
				assertThat(templates.forTransition(Transition.of(State.CLOSED, State.FORCED_OPEN)))
					.isEqualTo(new Template("Forced", "#808080", "Something changed."));
				assertThat(templates.fallback()).isEqualTo(defaults.fallback().merge(null, null, "Something changed."));
				assertThat(templates.forTransition(Transition.of(State.OPEN, State.HALF_OPEN)))
					.isEqualTo(defaults.forTransition(Transition.of(State.OPEN, State.HALF_OPEN)));
			});
	}

	@Test
	void digestAndCoalescedTemplatesFromProperties() {
		this.configuredRunner
			.withPropertyValues("fluxgate.slack.digest.opened-template.title=🚨 {count}개 추가 작동",
					"fluxgate.slack.digest.recovered-template.color=#00AA00",
					"fluxgate.slack.coalescing.template.title=🔁 {count}회 — {to}")
			.run((context) -> {
				Templates templates = context.getBean(Templates.class);
				Templates defaults = Templates.defaults();
				assertThat(templates.digestOpened()).isEqualTo(defaults.digestOpened().merge("🚨 {count}개 추가 작동", null, null));
				assertThat(templates.digestRecovered().color()).isEqualTo("#00AA00");
				assertThat(templates.coalesced().title()).isEqualTo("🔁 {count}회 — {to}");
				assertThat(templates.coalesced().description()).isEqualTo(defaults.coalesced().description());
			});
	}

	@Test
	void koreanTemplatesFromPropertiesArePosted() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.mode=sync",
				"fluxgate.slack.templates.closed-to-open.title=🚨 서킷 브레이커 작동",
				"fluxgate.slack.templates.closed-to-open.description=요청 실패율이 임계값을 초과했습니다.",
				"fluxgate.slack.templates.open-to-half-open.title=🔄 서킷 브레이커 복구 시도 중",
				"fluxgate.slack.templates.open-to-half-open.description=부분 요청으로 서비스 상태를 테스트하고 있습니다.",
				"fluxgate.slack.templates.half-open-to-open.title=⚠️ 서킷 브레이커 재작동",
				"fluxgate.slack.templates.half-open-to-open.description=테스트 요청이 실패하여 열림 상태로 복귀합니다.",
				"fluxgate.slack.templates.half-open-to-closed.title=✅ 서킷 브레이커 복구됨",
				"fluxgate.slack.templates.half-open-to-closed.description=테스트 요청이 성공하여 서비스가 정상입니다.",
				"fluxgate.slack.fallback-template.title=ℹ️ 서킷 브레이커 상태 변경",
				"fluxgate.slack.fallback-template.description=서킷 브레이커 상태가 변경되었습니다.")
			.run((context) -> {
				CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment_api");
				context.getBean(AbstractSlackListener.class).bindTo(circuitBreaker);
				circuitBreaker.transitionToOpenState();
				circuitBreaker.transitionToHalfOpenState();
				circuitBreaker.transitionToOpenState();
				circuitBreaker.transitionToHalfOpenState();
				circuitBreaker.transitionToClosedState();
				circuitBreaker.transitionToDisabledState();
				assertThat(slack.posts()).extracting(SlackStandIn.Post::title)
					.containsExactly("🚨 서킷 브레이커 작동", "🔄 서킷 브레이커 복구 시도 중", "⚠️ 서킷 브레이커 재작동",
							"🔄 서킷 브레이커 복구 시도 중", "✅ 서킷 브레이커 복구됨", "ℹ️ 서킷 브레이커 상태 변경");
				assertThat(slack.posts().get(4).description()).isEqualTo("테스트 요청이 성공하여 서비스가 정상입니다.");
				assertThat(slack.posts().get(4).color()).isEqualTo("#36a64f");
			});
	}

	@Test
	void includeAndExcludeChooseTheAnnouncedBreakers() {
		this.configuredRunner.withUserConfiguration(HandBuiltRegistryConfiguration.class)
			.withPropertyValues("fluxgate.slack.mode=sync", "fluxgate.slack.circuit-breakers.include=pay*,orders",
					"fluxgate.slack.circuit-breakers.exclude=*-internal")
			.run((context) -> {
				CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
				for (String name : new String[] { "payment", "payment-internal", "orders", "orders-2", "inventory" }) {
					registry.circuitBreaker(name).transitionToOpenState();
				}
				assertThat(slack.posts()).extracting(SlackStandIn.Post::circuitBreaker)
					.containsExactly("payment", "orders");
			});
	}

	@Test
	void bindsRegistryBuiltByHandIncludingLaterBreakers() {
		this.configuredRunner.withUserConfiguration(HandBuiltRegistryConfiguration.class).run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			registry.circuitBreaker("existing").transitionToOpenState();
			registry.circuitBreaker("created-later").transitionToOpenState();
			assertThat(slack.awaitPosts(2)).extracting(SlackStandIn.Post::circuitBreaker)
				.containsExactlyInAnyOrder("existing", "created-later");
		});
	}

	@Test
	void keepsListenerForManualBindingWithoutRegistry(CapturedOutput output) {
		this.configuredRunner.run((context) -> {
			assertThat(context).hasSingleBean(AbstractSlackListener.class);
			assertThat(output).containsOnlyOnce("No CircuitBreakerRegistry bean");
			postOneTransition(context.getBean(AbstractSlackListener.class));
			slack.awaitPosts(1);
		});
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
	void userListenerAndBinderReplaceOurs() {
		this.configuredRunner.withUserConfiguration(UserListenerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(AbstractSlackListener.class);
			assertThat(context.getBean(AbstractSlackListener.class).getChannel()).isEqualTo("CUSER");
			assertThat(context).hasSingleBean(SlackCircuitBreakerBinder.class);
			assertThat(context).hasBean("userBinder");
		});
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

	@Configuration(proxyBeanMethods = false)
	static class HandBuiltRegistryConfiguration {

		@Bean
		CircuitBreakerRegistry handBuiltRegistry() {
			CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
			registry.circuitBreaker("existing");
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserListenerConfiguration {

		@Bean
		SlackListener userListener() {
			return SlackListener.builder().channel("CUSER").token("xoxb-user").build();
		}

		@Bean
		SlackCircuitBreakerBinder userBinder(AbstractSlackListener listener) {
			return new SlackCircuitBreakerBinder(listener, new org.springframework.beans.factory.support.StaticListableBeanFactory()
				.getBeanProvider(CircuitBreakerRegistry.class));
		}

	}

}
