package dev.fluxgate.slack.demo;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.demo.recorder.DemoWorkspace;
import dev.fluxgate.slack.demo.recorder.SocketModeStandIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recorder's Socket Mode stand-in over real HTTP and a real WebSocket, with this test as the app: it opens a link
 * with the app-level token, hears {@code hello}, receives a page's click as an {@code interactive} envelope carrying a
 * {@code block_actions} payload, and acknowledges it. The demo's own Socket Mode client stays off here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "demo.recorder.enabled=true", "demo.autopilot.enabled=false", "demo.actions.enabled=false",
				"fluxgate.slack.token=xoxb-demo-recorder", "fluxgate.slack.channel=C0DEMO",
				"fluxgate.slack.base-url=http://127.0.0.1:${server.port}/slack-api" })
class SocketModeStandInTests {

	private static final int PORT = FreePort.find();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final JsonMapper json = JsonMapper.builder().build();

	private final WebTestClient http = WebTestClient.bindToServer()
		.baseUrl("http://127.0.0.1:" + PORT)
		.responseTimeout(WAIT)
		.build();

	@Autowired
	private SocketModeStandIn standIn;

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry properties) {
		properties.add("server.port", () -> PORT);
	}

	@BeforeEach
	void noLinkLeftOpen() {
		await().atMost(WAIT).until(() -> this.standIn.openLinks() == 0);
	}

	@Test
	void connectionsOpenTakesOnlyTheDemosAppToken() {
		open("Bearer xoxb-demo-recorder").jsonPath("$.ok").isEqualTo(false)
			.jsonPath("$.error").isEqualTo("not_allowed_token_type");
		open("Bearer xapp-1-AOTHER-other").jsonPath("$.ok").isEqualTo(false)
			.jsonPath("$.error").isEqualTo("invalid_auth");
		open("Bearer " + SocketModeStandIn.APP_TOKEN).jsonPath("$.ok").isEqualTo(true)
			.jsonPath("$.url").value((String url) -> assertThat(url)
				.startsWith("ws://127.0.0.1:" + PORT + SocketModeStandIn.PATH + "?ticket="));
	}

	@Test
	void aClickInThePageIsAnInteractiveEnvelopeOnTheLinkAndItsAckIsRecorded() throws Exception {
		try (Link link = new Link(connectionUrl())) {
			JsonNode hello = link.next();
			assertThat(hello.path("type").asString()).isEqualTo("hello");
			assertThat(hello.path("connection_info").path("app_id").asString()).isEqualTo(SocketModeStandIn.APP_ID);
			assertThat(hello.path("num_connections").asInt()).isEqualTo(1);

			CompletableFuture<ResponseEntity<JsonNode>> click = click("fluxgate_force_open", "1700000000123");
			JsonNode envelope = link.next();
			assertThat(envelope.path("type").asString()).isEqualTo("interactive");
			assertThat(envelope.path("accepts_response_payload").asBoolean()).isFalse();
			JsonNode payload = envelope.path("payload");
			assertThat(payload.path("type").asString()).isEqualTo("block_actions");
			assertThat(payload.path("team").path("id").asString()).isEqualTo(DemoWorkspace.TEAM_ID);
			assertThat(payload.path("user").path("id").asString()).isEqualTo(DemoWorkspace.USER_ID);
			assertThat(payload.path("api_app_id").asString()).isEqualTo(SocketModeStandIn.APP_ID);
			assertThat(payload.path("container").path("message_ts").asString()).isEqualTo("1700000000.000001");
			assertThat(payload.path("container").path("channel_id").asString()).isEqualTo("C0DEMO");
			assertThat(payload.path("channel").path("id").asString()).isEqualTo("C0DEMO");
			JsonNode action = payload.path("actions").path(0);
			assertThat(action.path("action_id").asString()).isEqualTo("fluxgate_force_open");
			assertThat(action.path("block_id").asString()).isEqualTo("fluxgate_actions");
			assertThat(action.path("value").asString()).isEqualTo("1700000000123");
			assertThat(click).isNotDone();

			String envelopeId = envelope.path("envelope_id").asString();
			link.send("{\"envelope_id\":\"" + envelopeId + "\"}");
			ResponseEntity<JsonNode> answer = click.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(answer.getStatusCode().value()).isEqualTo(200);
			assertThat(answer.getBody().path("envelopeId").asString()).isEqualTo(envelopeId);
			assertThat(answer.getBody().path("acknowledged").asBoolean()).isTrue();
			assertThat(this.standIn.acks()).anyMatch((ack) -> ack.envelopeId().equals(envelopeId));
		}
	}

	@Test
	void aTicketOpensOneLinkOnly() throws Exception {
		String url = connectionUrl();
		try (Link first = new Link(url)) {
			assertThat(first.next().path("type").asString()).isEqualTo("hello");
			try (Link second = new Link(url)) {
				assertThat(second.closed().block(WAIT)).isTrue();
				assertThat(this.standIn.openLinks()).isOne();
			}
		}
	}

	@Test
	void aClickWithoutAnyLinkIsRefusedAsSlackWouldNotDeliverIt() {
		this.http.post()
			.uri("/demo/slack/click")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new Click("C0DEMO", "1700000000.000001", "fluxgate_acknowledge", "1"))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.error")
			.value((String error) -> assertThat(error).contains("No Socket Mode connection"));
	}

	@Test
	void ephemeralsAndGroupMembersAnswerAsSlack() {
		this.http.post()
			.uri("/slack-api/chat.postEphemeral")
			.header("Authorization", "Bearer xoxb-demo-recorder")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"channel\":\"C0DEMO\",\"user\":\"U0DEMO\",\"text\":\"This button is stale\"}")
			.exchange()
			.expectBody()
			.jsonPath("$.ok").isEqualTo(true)
			.jsonPath("$.message_ts").exists();
		this.http.get()
			.uri("/recorder/ephemerals")
			.exchange()
			.expectBody()
			.jsonPath("$[-1].user").isEqualTo("U0DEMO")
			.jsonPath("$[-1].text").isEqualTo("This button is stale");
		this.http.post()
			.uri("/slack-api/usergroups.users.list")
			.header("Authorization", "Bearer xoxb-demo-recorder")
			.body(BodyInserters.fromFormData("usergroup", DemoWorkspace.GROUP_ID))
			.exchange()
			.expectBody()
			.jsonPath("$.ok").isEqualTo(true)
			.jsonPath("$.users[0]").isEqualTo(DemoWorkspace.USER_ID);
		this.http.post()
			.uri("/slack-api/auth.test")
			.header("Authorization", "Bearer xoxb-demo-recorder")
			.exchange()
			.expectBody()
			.jsonPath("$.team_id").isEqualTo(DemoWorkspace.TEAM_ID);
	}

	private WebTestClient.BodyContentSpec open(String authorization) {
		return this.http.post()
			.uri("/slack-api/apps.connections.open")
			.header("Authorization", authorization)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody();
	}

	private String connectionUrl() {
		JsonNode answer = this.json.readTree(open("Bearer " + SocketModeStandIn.APP_TOKEN).returnResult()
			.getResponseBody());
		return answer.path("url").asString();
	}

	private CompletableFuture<ResponseEntity<JsonNode>> click(String actionId, String value) {
		return WebClient.create("http://127.0.0.1:" + PORT)
			.post()
			.uri("/demo/slack/click")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new Click("C0DEMO", "1700000000.000001", actionId, value))
			.retrieve()
			.toEntity(JsonNode.class)
			.toFuture();
	}

	record Click(String channel, String ts, String actionId, String value) {
	}

	/** A Socket Mode link as the app holds one, on Reactor Netty's WebSocket client. */
	private final class Link implements AutoCloseable {

		private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();

		private final Sinks.One<Boolean> closed = Sinks.one();

		private final Disposable connection;

		Link(String url) {
			this.connection = HttpClient.create()
				.websocket()
				.uri(url)
				.handle((in, out) -> Mono.when(in.receive().asString().doOnNext(this.received::add).then(),
						out.sendString(this.outgoing.asFlux()).then()))
				.doFinally((signal) -> this.closed.tryEmitValue(true))
				.subscribe();
		}

		JsonNode next() throws InterruptedException {
			String frame = this.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(frame).as("a frame within %s", WAIT).isNotNull();
			return SocketModeStandInTests.this.json.readTree(frame);
		}

		void send(String text) {
			this.outgoing.tryEmitNext(text);
		}

		Mono<Boolean> closed() {
			return this.closed.asMono();
		}

		@Override
		public void close() {
			this.outgoing.tryEmitComplete();
			this.connection.dispose();
		}

	}

}
