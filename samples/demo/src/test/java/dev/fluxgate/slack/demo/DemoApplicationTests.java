package dev.fluxgate.slack.demo;

import java.time.Duration;
import java.util.List;

import dev.fluxgate.slack.demo.recorder.SlackRecorder;
import dev.fluxgate.slack.demo.recorder.SlackRecorder.RecordedMessage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as a newcomer runs it, without a Slack token: the autopilot's outage ends up as one thread in the
 * recorder.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
		properties = { "demo.autopilot.break-after=1s", "demo.autopilot.fix-after=4s",
				"resilience4j.circuitbreaker.instances.payment-api.wait-duration-in-open-state=1s" })
class DemoApplicationTests {

	@Autowired
	private SlackRecorder recorder;

	private static final int PORT = FreePort.find();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry properties) {
		properties.add("server.port", () -> PORT);
	}

	@Test
	void autopilotOutageBecomesOneThreadInTheRecorder() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.recorder.messages().stream().anyMatch((message) -> message.text().contains("Recovered")
					&& message.threadTs() != null));
		List<RecordedMessage> messages = this.recorder.messages();
		RecordedMessage root = messages.get(0);
		assertThat(root.threadTs()).isNull();
		assertThat(root.channel()).isEqualTo("C0DEMO");
		assertThat(messages.subList(1, messages.size())).allSatisfy((reply) -> {
			assertThat(reply.threadTs()).isEqualTo(root.ts());
			assertThat(reply.text()).endsWith(": payment-api");
		});
		assertThat(messages).extracting(RecordedMessage::text)
			.contains("🔄 Attempting Circuit Breaker Recovery: payment-api",
					"✅ Circuit Breaker Recovered: payment-api");
		RecordedMessage recovery = messages.get(messages.size() - 1);
		assertThat(recovery.broadcast()).isTrue();
		await().untilAsserted(() -> assertThat(this.recorder.messages().get(0).text())
			.startsWith("🚨 Circuit Breaker Triggered — ✅ Recovered after"));
		assertThat(this.recorder.messages().get(0).edited()).isTrue();
	}

}
