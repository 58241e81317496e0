package dev.fluxgate.slack.samples.sync;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample run as a user runs an AOT-processed app: in its own JVM with {@code -Dspring.aot.enabled=true}, from
 * the classes {@code spring-boot:process-aot} generated. One failure cycle still reaches Slack as a thread.
 */
class AotModeTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private Process app;

	private Path log;

	@AfterEach
	void stop() throws Exception {
		if (this.app != null) {
			this.app.destroy();
			this.app.waitFor();
		}
	}

	@Test
	void failureCycleIsPostedAsAThreadInAotMode() throws Exception {
		assertThat(Path.of("target/classes/dev/fluxgate/slack/samples/sync/SyncServletApplication__ApplicationContextInitializer.class"))
			.as("spring-boot:process-aot ran").exists();
		int port = freePort();
		this.log = Files.createTempFile("aot-sample", ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-cp", System.getProperty("java.class.path"),
				SyncServletApplication.class.getName(), "--server.port=" + port,
				"--logging.level." + SyncServletApplication.class.getName() + "=INFO",
				"--fluxgate.slack.base-url=" + slack.baseUrl(),
				"--resilience4j.circuitbreaker.instances.payment_api.wait-duration-in-open-state=500ms",
				"--resilience4j.circuitbreaker.instances.payment_api.permitted-number-of-calls-in-half-open-state=1"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(this.log.toFile());
		builder.environment().put("SLACK_BOT_TOKEN", SlackStandIn.TOKEN);
		builder.environment().put("SLACK_CHANNEL_ID", SlackStandIn.CHANNEL);
		this.app = builder.start();
		RestClient http = RestClient.create("http://127.0.0.1:" + port);
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
			http.post().uri("/provider?down=true").retrieve().toBodilessEntity();
			return true;
		});
		assertThat(Files.readString(this.log)).contains("Starting AOT-processed SyncServletApplication");
		for (int i = 0; i < 4; i++) {
			pay(http);
		}
		http.post().uri("/provider?down=false").retrieve().toBodilessEntity();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			pay(http);
			return slack.delivered().size() >= 3;
		});
		List<Post> posts = slack.delivered();
		assertThat(posts).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(posts.get(0).threadTs()).isNull();
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
	}

	private static void pay(RestClient http) {
		http.post().uri("/pay?cents=100").retrieve().onStatus((status) -> true, (request, response) -> {
		}).toBodilessEntity();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
