package dev.fluxgate.slack.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.fluxgate.slack.SlackStandIn;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo posting its autopilot outage to a WireMock Slack stand-in, checked from the outside through WireMock's
 * admin API only. Run against an in-JVM WireMock everywhere, and against WireMock's official container image where
 * Docker exists.
 */
abstract class SlackStandInScenario {

	static final String[] PROPERTIES = { "demo.recorder.enabled=false", "fluxgate.slack.token=" + SlackStandIn.TOKEN,
			"fluxgate.slack.channel=" + SlackStandIn.CHANNEL, "demo.autopilot.break-after=1s",
			"demo.autopilot.fix-after=4s",
			"resilience4j.circuitbreaker.instances.payment-api.wait-duration-in-open-state=1s" };

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Stubs Slack's three methods on a stand-in, the way {@link SlackStandIn} answers them. */
	static void stubSlack(WireMock slack) {
		slack.register(SlackStandIn.postMessage().willReturn(SlackStandIn.ok()));
		slack.register(SlackStandIn.update().willReturn(SlackStandIn.updated()));
		slack.register(WireMock.post("/api/auth.test").willReturn(SlackStandIn.json("{\"ok\":true,\"url\":\"https://x.slack.com/\"}")));
	}

	abstract WireMock slack();

	@Test
	void autopilotOutageIsPostedAsOneThread() {
		await().atMost(Duration.ofSeconds(30)).until(() -> posts().stream()
			.anyMatch((post) -> post.body().path("text").asString().startsWith("✅ Circuit Breaker Recovered")));
		List<Post> posts = posts();
		Post root = posts.get(0);
		assertThat(root.body().path("text").asString()).isEqualTo("🚨 Circuit Breaker Triggered: payment-api");
		assertThat(root.body().has("thread_ts")).isFalse();
		assertThat(root.ts()).isNotBlank();
		assertThat(posts.subList(1, posts.size()))
			.allSatisfy((reply) -> assertThat(reply.body().path("thread_ts").asString()).isEqualTo(root.ts()));
		Post recovery = posts.get(posts.size() - 1);
		assertThat(recovery.body().path("reply_broadcast").asBoolean()).isTrue();
		assertThat(recovery.authorization()).isEqualTo("Bearer " + SlackStandIn.TOKEN);
	}

	private List<Post> posts() {
		List<ServeEvent> events = new ArrayList<>(slack().getServeEvents());
		Collections.reverse(events);
		return events.stream()
			.filter((event) -> event.getRequest().getUrl().endsWith("/chat.postMessage"))
			.map((event) -> new Post(json.readTree(event.getRequest().getBodyAsString()),
					json.readTree(event.getResponse().getBodyAsString()).path("ts").asString(),
					event.getRequest().getHeader("Authorization")))
			.toList();
	}

	record Post(JsonNode body, String ts, String authorization) {
	}

}
