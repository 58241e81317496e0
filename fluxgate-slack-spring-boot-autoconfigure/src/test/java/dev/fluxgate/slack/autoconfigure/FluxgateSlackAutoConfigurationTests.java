package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import dev.fluxgate.slack.MessageRenderer;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.Template;
import dev.fluxgate.slack.Templates;
import dev.fluxgate.slack.thread.ThreadStore;
import dev.fluxgate.slack.Transition;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.client.WebClientSlackClient;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
			.run((context) -> assertThat(analysis(context).getAction()).contains("spring-boot-starter-jackson"));
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
		MessageRenderer renderer = new MessageRenderer();
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
	void warnsOnceAboutTokensThatAreNotBotTokens(CapturedOutput output) {
		this.configuredRunner.withPropertyValues("fluxgate.slack.token=xoxp-user-token").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).containsOnlyOnce("does not start with xoxb-").doesNotContain("xoxp-user-token");
		});
	}

	@Test
	void failsWhenOnlyTheTokenIsSet() {
		this.contextRunner.withPropertyValues("fluxgate.slack.token=" + SlackStandIn.TOKEN)
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.channel")
					.contains("Value: (not set)")
					.doesNotContain(SlackStandIn.TOKEN);
				assertThat(analysis.getAction()).contains("SLACK_CHANNEL_ID");
			}));
	}

	@Test
	void failsWhenOnlyTheChannelIsSet() {
		this.contextRunner.withPropertyValues("fluxgate.slack.channel=C1")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.token");
				assertThat(analysis.getAction()).contains("SLACK_BOT_TOKEN").contains("xoxb-");
			}));
	}

	@Test
	void failsOnABlankChannel() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.channel= ")
			.run((context) -> assertThat(analysis(context).getDescription()).contains("Property: fluxgate.slack.channel")
				.contains("Value: \"\""));
	}

	@Test
	void failsOnAnUnknownMode() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.mode=fast")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.mode")
					.contains("Value: \"fast\"");
				assertThat(analysis.getAction()).contains("async").contains("sync");
			}));
	}

	@Test
	void failsOnAnUnknownTemplateKey() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.templates.closed-to-opened.title=x")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.templates.closed-to-opened")
					.contains("Value: \"closed-to-opened\"");
				assertThat(analysis.getAction()).contains("half-open-to-closed");
			}));
	}

	@Test
	void failsOnAColorThatIsNotHex() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.templates.closed-to-open.color=red")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.templates.closed-to-open.color")
					.contains("Value: \"red\"");
				assertThat(analysis.getAction()).contains("#FF4C4C");
			}));
	}

	@Test
	void failsOnANegativeTimeout() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.timeout=-1s")
			.run((context) -> assertThat(analysis(context).getDescription()).contains("Property: fluxgate.slack.timeout")
				.contains("Value: PT-1S"));
	}

	@Test
	void failsOnABaseUrlThatIsNotAUrl() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.base-url=slack api")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.base-url")
					.contains("Value: \"slack api\"");
				assertThat(analysis.getAction()).contains("https://slack.com/api");
			}));
	}

	@Test
	void failsOnPlainHttpBeyondLoopback() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.base-url=http://slack.example.com/api")
			.run((context) -> assertThat(analysis(context).getDescription()).contains("unencrypted"));
	}

	@Test
	void acceptsPlainHttpOnLoopback() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.base-url=http://localhost:1/api")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void failsOnAnUnknownPlaceholderListingTheKnownOnes() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.templates.closed-to-open.title={name} at {host}")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.templates.closed-to-open.title")
					.contains("{host}");
				assertThat(analysis.getAction()).contains("{name}")
					.contains("{failureRate}")
					.contains("{failureRateThreshold}")
					.contains("{slowCallRate}")
					.contains("{duration}");
			}));
	}

	@Test
	void failsOnAMentionSlackWouldNotResolve() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.mention=@here")
			.run((context) -> assertThat(analysis(context).getDescription()).contains("Property: fluxgate.slack.mention")
				.contains("Value: \"@here\""));
	}

	@Test
	void failsOnARouteWithoutChannel() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.routes[0].circuit-breakers=payment-*")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: fluxgate.slack.routes[0].channel"));
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

	@Test
	void startupCheckLogsTheBotAndWorkspace(CapturedOutput output) {
		this.configuredRunner.withPropertyValues("fluxgate.slack.verify-on-startup=true").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("post as alerts in workspace Fluxgate (" + SlackStandIn.WORKSPACE_URL
					+ ") to channel " + SlackStandIn.CHANNEL);
		});
	}

	@Test
	void startupCheckAndTheFirstRecoveryShareOneAuthTest() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.verify-on-startup=true", "fluxgate.slack.mode=sync")
			.run((context) -> {
				CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
				context.getBean(AbstractSlackListener.class).bindTo(circuitBreaker);
				circuitBreaker.transitionToOpenState();
				circuitBreaker.transitionToHalfOpenState();
				circuitBreaker.transitionToClosedState();
				assertThat(slack.posts().get(2).rawBody()).contains(SlackStandIn.WORKSPACE_URL + "archives/");
				assertThat(slack.server().findAll(com.github.tomakehurst.wiremock.client.WireMock
					.postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/auth.test"))))
					.hasSize(1);
			});
	}

	@Test
	void failsOnAPacingRateThatSendsNothing() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.pacing.enabled=true", "fluxgate.slack.pacing.rate=0")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.pacing.rate").contains("0.0");
				assertThat(analysis.getAction()).contains("default 1.0");
			}));
	}

	@Test
	void failsOnAPacingBurstBelowOne() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.pacing.enabled=true", "fluxgate.slack.pacing.burst=0")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.pacing.burst");
				assertThat(analysis.getAction()).contains("default 3");
			}));
	}

	@Test
	void deprecatedPacingMessagesPointToTheRate() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.pacing.enabled=true", "fluxgate.slack.pacing.messages=0")
			.run((context) -> assertThat(analysis(context).getAction()).contains("fluxgate.slack.pacing.rate")
				.contains("default 1.0"));
	}

	@Test
	void failsOnCoalescingAfterBelowOne() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.coalescing.after=0")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.coalescing.after");
				assertThat(analysis.getAction()).contains("default 4");
			}));
	}

	@Test
	void failsOnABaseUrlWithCredentialsWithoutShowingThem() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.base-url=https://alerts:hunter2@slack.com/api")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.base-url")
					.contains("credentials")
					.doesNotContain("hunter2");
				assertThat(analysis.getAction()).contains("without credentials");
			}));
	}

	@Test
	void failsOnADigestIntervalThatWouldSpinTheScheduler() {
		this.configuredRunner.withPropertyValues("fluxgate.slack.digest.interval=1ns")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.digest.interval")
					.contains("at least 1000ms");
				assertThat(analysis.getAction()).contains("10s");
			}));
	}

	@Test
	void startupCheckIsOffByDefault() {
		this.configuredRunner.run((context) -> assertThat(slack.server().getAllServeEvents()).isEmpty());
	}

	@Test
	void failedStartupCheckIsLoggedWithTheHintButDoesNotStopStartup(CapturedOutput output) {
		slack.stub(com.github.tomakehurst.wiremock.client.WireMock.post("/api/auth.test")
			.atPriority(1)
			.willReturn(SlackStandIn.error("invalid_auth")));
		this.configuredRunner.withPropertyValues("fluxgate.slack.verify-on-startup=true").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("auth.test failed: invalid_auth").contains("Bot User OAuth Token");
		});
	}

	@Test
	void failedStartupCheckStopsStartupWhenAskedTo() {
		slack.stub(com.github.tomakehurst.wiremock.client.WireMock.post("/api/auth.test")
			.atPriority(1)
			.willReturn(SlackStandIn.error("invalid_auth")));
		this.configuredRunner
			.withPropertyValues("fluxgate.slack.verify-on-startup=true", "fluxgate.slack.fail-on-startup-error=true")
			.run((context) -> assertThat(analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.token")
					.contains("invalid_auth")
					.doesNotContain(SlackStandIn.TOKEN);
				assertThat(analysis.getAction()).contains("fail-on-startup-error");
			}));
	}

	private static void postOneTransition(AbstractSlackListener listener) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(failure))
			.isInstanceOf(InvalidSlackPropertyException.class);
		FailureAnalysis analysis = new InvalidSlackPropertyFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
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
