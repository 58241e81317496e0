package dev.fluxgate.slack.autoconfigure;

import java.util.Map;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FluxgateSlackAutoConfiguration} reading its settings: the channel and token from the seed's or fluxgate's
 * environment variables, and the messages' templates from {@code fluxgate.slack.*}.
 */
class FluxgateSlackAutoConfigurationPropertiesTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class));

	private final ApplicationContextRunner configuredRunner = this.contextRunner.withPropertyValues(
			"fluxgate.slack.channel=" + SlackStandIn.CHANNEL, "fluxgate.slack.token=" + SlackStandIn.TOKEN,
			"fluxgate.slack.base-url=" + slack.baseUrl(), "fluxgate.slack.pacing.enabled=false");

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

	private static void postOneTransition(AbstractSlackListener listener) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
	}

}
