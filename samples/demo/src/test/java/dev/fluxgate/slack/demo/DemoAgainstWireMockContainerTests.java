package dev.fluxgate.slack.demo;

import com.github.tomakehurst.wiremock.client.WireMock;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The black-box scenario with Slack stood in for by WireMock's official image, where Docker exists.
 * {@link DemoAgainstWireMockTests} runs the same scenario everywhere else.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoAgainstWireMockContainerTests extends SlackStandInScenario {

	@Container
	static final GenericContainer<?> wiremock = new GenericContainer<>("wiremock/wiremock:3.13.2")
		.withExposedPorts(8080)
		.withCommand("--global-response-templating");

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		stubSlack(client());
		for (String property : PROPERTIES) {
			String[] pair = property.split("=", 2);
			properties.add(pair[0], () -> pair[1]);
		}
		properties.add("fluxgate.slack.base-url",
				() -> "http://localhost:" + wiremock.getMappedPort(8080) + "/api");
	}

	private static WireMock client() {
		return new WireMock(wiremock.getHost(), wiremock.getMappedPort(8080));
	}

	@Override
	WireMock slack() {
		return client();
	}

}
