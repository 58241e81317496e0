package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fluxgate.slack.verify-on-startup}: one {@code auth.test} at startup tells who posts where, and a token Slack
 * refuses is reported, or stops startup when asked to.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlackStartupVerifierTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final ApplicationContextRunner configuredRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL, "fluxgate.slack.token=" + SlackStandIn.TOKEN,
				"fluxgate.slack.base-url=" + slack.baseUrl(), "fluxgate.slack.pacing.enabled=false");

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
			.run((context) -> assertThat(StartupFailures.analysis(context)).satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.token")
					.contains("invalid_auth")
					.doesNotContain(SlackStandIn.TOKEN);
				assertThat(analysis.getAction()).contains("fail-on-startup-error");
			}));
	}

}
