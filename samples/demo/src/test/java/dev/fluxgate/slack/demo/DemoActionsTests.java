package dev.fluxgate.slack.demo;

import java.time.Duration;
import java.util.Optional;

import dev.fluxgate.slack.demo.recorder.DemoWorkspace;
import dev.fluxgate.slack.demo.recorder.SlackRecorder;
import dev.fluxgate.slack.demo.recorder.SlackRecorder.RecordedMessage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's buttons end to end over real HTTP and the demo's own Socket Mode link, without a browser: the page's
 * click endpoint turns a click into an envelope that the starter acknowledges and applies, and a stale button is
 * refused by an ephemeral message.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
		properties = { "demo.autopilot.enabled=false",
				"resilience4j.circuitbreaker.instances.payment-api.wait-duration-in-open-state=5m" })
class DemoActionsTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int PORT = FreePort.find();

	private final WebTestClient http = WebTestClient.bindToServer()
		.baseUrl("http://127.0.0.1:" + PORT)
		.responseTimeout(Duration.ofSeconds(10))
		.build();

	@Autowired
	private SlackRecorder recorder;

	@Autowired
	private PaymentApi paymentApi;

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry properties) {
		properties.add("server.port", () -> PORT);
	}

	@Test
	void forceOpenAndCloseTravelOverTheDemosSocketAndAStaleButtonIsRefused() {
		this.http.post().uri("/demo/break").exchange().expectStatus().isOk();
		String drawn = await().atMost(WAIT).until(() -> buttonValue("fluxgate_force_open"), Optional::isPresent)
			.get();
		RecordedMessage root = this.recorder.messages().get(0);

		click(root, "fluxgate_force_open", drawn).expectStatus().isOk().expectBody()
			.jsonPath("$.acknowledged").isEqualTo(true);
		await().atMost(WAIT).until(() -> this.paymentApi.state() == State.FORCED_OPEN);
		await().atMost(WAIT).until(() -> this.recorder.messages().stream().anyMatch((message) ->
				root.ts().equals(message.threadTs())
						&& message.text().equals("<@U0DEMO> forced payment-api open on 1 instance")));
		String redrawn = await().atMost(WAIT).until(() -> buttonValue("fluxgate_close"), Optional::isPresent).get();
		assertThat(buttonValue("fluxgate_force_open")).isEmpty();

		int ephemerals = this.recorder.ephemerals().size();
		click(root, "fluxgate_force_open", drawn).expectStatus().isOk();
		await().atMost(WAIT).until(() -> this.recorder.ephemerals().size() > ephemerals);
		assertThat(this.recorder.ephemerals().get(ephemerals).user()).isEqualTo(DemoWorkspace.USER_ID);
		assertThat(this.paymentApi.state()).isEqualTo(State.FORCED_OPEN);

		this.paymentApi.fix();
		click(root, "fluxgate_close", redrawn).expectStatus().isOk();
		await().atMost(WAIT).until(() -> this.paymentApi.state() == State.CLOSED);
		await().atMost(WAIT).until(() -> this.recorder.messages().stream()
			.anyMatch((message) -> message.text().equals("<@U0DEMO> closed payment-api on 1 instance")));
	}

	private WebTestClient.ResponseSpec click(RecordedMessage root, String actionId, String value) {
		return this.http.post()
			.uri("/demo/slack/click")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new Click(root.channel(), root.ts(), "fluxgate_actions", actionId, value))
			.exchange();
	}

	private Optional<String> buttonValue(String actionId) {
		if (this.recorder.messages().isEmpty()) {
			return Optional.empty();
		}
		JsonNode attachments = this.recorder.messages().get(0).attachments();
		if (attachments == null) {
			return Optional.empty();
		}
		for (JsonNode attachment : attachments) {
			for (JsonNode block : attachment.path("blocks")) {
				for (JsonNode element : block.path("elements")) {
					if (actionId.equals(element.path("action_id").asString(null))) {
						return Optional.of(element.path("value").asString());
					}
				}
			}
		}
		return Optional.empty();
	}

	record Click(String channel, String ts, String blockId, String actionId, String value) {
	}

}
