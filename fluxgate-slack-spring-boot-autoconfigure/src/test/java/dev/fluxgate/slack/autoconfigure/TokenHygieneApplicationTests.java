package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bot token appears in no log line, even with WebClient's request details and Reactor Netty logged at the
 * finest levels.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "logging.level.org.springframework.web.reactive=TRACE", "logging.level.reactor.netty=DEBUG",
				"logging.level.dev.fluxgate=DEBUG", "spring.codec.log-request-details=true",
				"spring.http.codecs.log-request-details=true", "fluxgate.slack.channel=C0123456789",
				"fluxgate.slack.token=" + TokenHygieneApplicationTests.TOKEN, "fluxgate.slack.verify-on-startup=true",
				"fluxgate.slack.retry.initial-backoff=10ms", "fluxgate.slack.pacing.enabled=false" })
class TokenHygieneApplicationTests {

	static final String TOKEN = "xoxb-2023-0987654321-SuperSecretTokenValue";

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Autowired
	private CircuitBreakerRegistry registry;

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		properties.add("fluxgate.slack.base-url", slack::baseUrl);
	}

	/** Put back the levels raised above, so that the test classes after this one in its JVM log at WARN again. */
	@AfterAll
	static void restoreLogLevels() {
		LoggingSystem logging = LoggingSystem.get(TokenHygieneApplicationTests.class.getClassLoader());
		for (String logger : new String[] { "org.springframework.web.reactive", "reactor.netty", "dev.fluxgate" }) {
			logging.setLogLevel(logger, null);
		}
	}

	@Test
	void tokenIsInNoLogLine(CapturedOutput output) {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("refused"))
			.atPriority(1)
			.willReturn(SlackStandIn.error("invalid_auth")));
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("limited"))
			.atPriority(1)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
		for (String name : new String[] { "fine", "refused", "limited" }) {
			CircuitBreaker circuitBreaker = this.registry.circuitBreaker(name);
			circuitBreaker.transitionToOpenState();
			circuitBreaker.transitionToHalfOpenState();
		}
		await().until(() -> slack.posts().size() >= 2 + 2 + 10);
		await().until(() -> output.getAll().contains("Could not post"));
		assertThat(slack.posts().get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);
		assertThat(output.getAll()).as("request details, headers included, are logged")
			.contains("HTTP POST")
			.contains("chat.postMessage")
			.contains("Content-Type:\"application/json;charset=UTF-8\"");
		assertThat(output.getAll()).doesNotContain(TOKEN).doesNotContain("SuperSecretTokenValue");
	}

	@SpringBootApplication
	static class TestApplication {

		@Bean
		WebClientCustomizer logRequestDetails() {
			return (builder) -> builder.codecs((codecs) -> codecs.defaultCodecs().enableLoggingRequestDetails(true));
		}

	}

}
