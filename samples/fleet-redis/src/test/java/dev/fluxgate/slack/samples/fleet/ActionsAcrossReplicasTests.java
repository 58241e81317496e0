package dev.fluxgate.slack.samples.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.action.BreakerAction;
import dev.fluxgate.slack.action.Click;
import dev.fluxgate.slack.redis.RedisServer;
import dev.fluxgate.slack.socket.SocketModeStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The buttons across a fleet of separate JVMs sharing one Redis: a click that reaches one replica over its own Socket
 * Mode connection acts on the breaker of every replica, and is echoed once; a replica killed while its breaker is
 * forced open, and started again with the same instance id, missed the message that told it, and is forced open again
 * from what Redis keeps.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class ActionsAcrossReplicasTests {

	private static final String ALLOWED = "U0ALLOWED";

	private static final String FORCED_OPEN_ECHO = "<@" + ALLOWED + "> forced payment-api open on every instance";

	private static final String CLOSED_ECHO = "<@" + ALLOWED + "> closed payment-api on every instance";

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	static final SocketModeStandIn socket = new SocketModeStandIn();

	static Replicas fleet;

	static Replica one;

	static Replica two;

	static int linkOfOne;

	// Each replica connects to the socket once it is started: one at a time, so that each link is known to be whose
	@BeforeAll
	static void startTwoReplicasWithTheButtons() throws Exception {
		socket.start();
		connectionsOpenAtTheSocketStandIn();
		fleet = new Replicas(ActionsAcrossReplicasTests.class, redis, slack);
		one = fleet.start("replica-1", Map.of(), Replicas.actions(ALLOWED, "1s"));
		one.awaitHealthy();
		await("replica-1's Socket Mode connection").atMost(Duration.ofSeconds(20))
			.until(() -> socket.openConnections() == 1);
		linkOfOne = socket.newestLink();
		two = fleet.start("replica-2", Map.of(), Replicas.actions(ALLOWED, "1s"));
		two.awaitHealthy();
		await("replica-2's Socket Mode connection").atMost(Duration.ofSeconds(20))
			.until(() -> socket.openConnections() == 2);
	}

	@AfterAll
	static void stopReplicas() {
		if (fleet != null) {
			fleet.close();
		}
		socket.close();
	}

	/**
	 * Slack's {@code apps.connections.open} is answered by the Socket Mode stand-in, the rest of the Web API by
	 * Slack's; again before each test, as the stand-in forgets its stubs after each.
	 */
	@BeforeEach
	void connectionsOpenAtTheSocketStandInAgain() {
		connectionsOpenAtTheSocketStandIn();
	}

	private static void connectionsOpenAtTheSocketStandIn() {
		slack.stub(post(urlEqualTo("/api/apps.connections.open")).atPriority(1)
			.willReturn(aResponse().proxiedFrom(socket.baseUrl().replace("/api", ""))));
	}

	@Test
	void aClickOnOneReplicaForcesTheBreakerOpenOnEveryReplica() throws Exception {
		Replicas.atOnce(List.of(one, two), Replica::trip);
		Post root = root();
		assertThat(root.buttons()).contains(BreakerAction.FORCE_OPEN.actionId());

		socket.push(linkOfOne, "interactive", Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN)
			.withValue(buttonValue(root))
			.payload());
		awaitStates("FORCED_OPEN");
		await("the echo of Force open").atMost(Duration.ofSeconds(10)).until(() -> echoes(FORCED_OPEN_ECHO) >= 1);
		quiet();
		assertThat(echoes(FORCED_OPEN_ECHO)).as("the click is echoed once, by the replica it reached: %s",
				Replicas.describe(slack.posts()))
			.isEqualTo(1);

		close(root);
		await("the echo of Close").atMost(Duration.ofSeconds(10)).until(() -> echoes(CLOSED_ECHO) == 1);
	}

	@Test
	void aReplicaKilledAndRestartedWhileForcedOpenIsForcedOpenAgain() throws Exception {
		one.trip();
		Post root = root();
		socket.push(linkOfOne, "interactive", Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN)
			.withValue(buttonValue(root))
			.payload());
		awaitStates("FORCED_OPEN");

		two.kill();
		await("replica-2's link closed").atMost(Duration.ofSeconds(10)).until(() -> socket.openConnections() == 1);
		two = fleet.restart(two);
		two.awaitHealthy();
		assertThat(two.state()).as("replica-2, started again, reconciled with Redis").isEqualTo("FORCED_OPEN");
		assertThat(one.state()).isEqualTo("FORCED_OPEN");
		await("the new replica-2's Socket Mode connection").atMost(Duration.ofSeconds(20))
			.until(() -> socket.openConnections() == 2);

		quiet();
		close(root);
	}

	/**
	 * Click Close with the value of the root's buttons as last drawn, as a user would, and see both breakers closed.
	 */
	private static void close(Post root) {
		String value = buttonValue(root);
		socket.push(linkOfOne, "interactive", Click.on(ALLOWED, root, BreakerAction.CLOSE).withValue(value).payload());
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			assertThat(slack.ephemerals()).as("Close with the buttons as last drawn (value %s; the root's edits: %s; "
					+ "the thread in Redis: %s) is not refused", value, drawn(root), thread()).isEmpty();
			assertThat(List.of(one.state(), two.state())).as("the breakers of replica-1 and -2").containsOnly("CLOSED");
		});
	}

	/** The root of the outage's thread, once told. */
	private static Post root() {
		await("the root of the outage").atMost(Duration.ofSeconds(10))
			.until(() -> !fleet.transitions("CLOSED → OPEN").isEmpty());
		Post root = fleet.transitions("CLOSED → OPEN").get(0);
		assertThat(root.threadTs()).as("the first trip is the root").isNull();
		quiet();
		return root;
	}

	/** The value of the root's buttons as last drawn: by its latest edit, or as posted. */
	private static String buttonValue(Post root) {
		List<Post> edits = slack.updates().stream().filter((update) -> root.ts().equals(update.bodyTs())).toList();
		String value = edits.isEmpty() ? root.buttonValue() : edits.get(edits.size() - 1).buttonValue();
		assertThat(value).as("the root's buttons, as last drawn").isNotNull();
		return value;
	}

	/** The value of each of the root's edits, in the order Slack received them. */
	private static List<String> drawn(Post root) {
		return slack.updates()
			.stream()
			.filter((update) -> root.ts().equals(update.bodyTs()))
			.map(Post::buttonValue)
			.toList();
	}

	private static Map<Object, Object> thread() {
		return new ReactiveStringRedisTemplate(redis.connectionFactory()).opsForHash()
			.entries("{fluxgate:slack:payments}:thread:payment-api")
			.filter((entry) -> List.of("state", "lastTransitionAt", "version").contains(entry.getKey()))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.block();
	}

	private static void awaitStates(String state) {
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(List.of(one.state(), two.state())).as("the breakers of replica-1 and -2")
				.containsOnly(state));
	}

	private static long echoes(String text) {
		return slack.posts().stream().filter((post) -> text.equals(post.text())).count();
	}

	/** Wait until Slack has received nothing more for a second: every reply and edit so far has landed. */
	private static void quiet() {
		int[] seen = { -1 };
		await("Slack quiet").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			int now = slack.server().getAllServeEvents().size();
			boolean unchanged = now == seen[0];
			seen[0] = now;
			return unchanged;
		});
	}

}
