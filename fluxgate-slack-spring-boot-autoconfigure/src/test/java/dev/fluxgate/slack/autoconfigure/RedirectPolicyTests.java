package dev.fluxgate.slack.autoconfigure;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Slack client follows no redirect, whichever connector Boot's HTTP client support picks and although Boot
 * follows redirects by default: the bot token never reaches the host a redirect points to.
 */
class RedirectPolicyTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private static final WireMockServer elsewhere = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

	static {
		elsewhere.start();
	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
				ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
				FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.channel=C0123456789",
				"fluxgate.slack.base-url=" + slack.baseUrl());

	@AfterAll
	static void stopElsewhere() {
		elsewhere.stop();
	}

	@ParameterizedTest(name = "spring.http.clients.reactive.connector={0}")
	@ValueSource(strings = { "reactor", "jdk" })
	void aRedirectIsAClearErrorAndTheTokenStaysHome(String connector) {
		elsewhere.resetAll();
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(302)
				.withHeader("Location", "http://localhost:" + elsewhere.port() + "/api/chat.postMessage")));
		this.runner.withPropertyValues("spring.http.clients.reactive.connector=" + connector).run((context) -> {
			SlackClient client = context.getBean(SlackClient.class);
			assertThatExceptionOfType(SlackApiException.class)
				.isThrownBy(() -> client
					.postMessage(new ChatPostMessage(SlackStandIn.CHANNEL, "hi", List.of(), null, null))
					.block())
				.satisfies((ex) -> {
					assertThat(ex.getError()).isEqualTo("http_302");
					assertThat(ex.getKind()).isEqualTo(SlackApiException.Kind.PERMANENT);
					assertThat(ex.getMessage()).contains("redirect")
						.contains("localhost:" + elsewhere.port())
						.contains("fluxgate.slack.base-url")
						.doesNotContain(SlackStandIn.TOKEN);
				});
		});
		assertThat(slack.posts()).hasSize(1);
		assertThat(elsewhere.findAll(anyRequestedFor(anyUrl()))).as("requests that reached the redirect's target")
			.isEmpty();
	}

}
