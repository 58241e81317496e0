package dev.fluxgate.slack.demo;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.fluxgate.slack.SlackStandIn;
import org.junit.jupiter.api.AfterAll;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The black-box scenario against WireMock in this JVM, so it runs on every machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoAgainstWireMockTests extends SlackStandInScenario {

	private static final SlackStandIn standIn = new SlackStandIn();

	private static final WireMock slack = new WireMock("127.0.0.1", standIn.server().port());

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		stubSlack(slack);
		for (String property : PROPERTIES) {
			String[] pair = property.split("=", 2);
			properties.add(pair[0], () -> pair[1]);
		}
		properties.add("fluxgate.slack.base-url", standIn::baseUrl);
	}

	@AfterAll
	static void stop() {
		standIn.close();
	}

	@Override
	WireMock slack() {
		return slack;
	}

}
