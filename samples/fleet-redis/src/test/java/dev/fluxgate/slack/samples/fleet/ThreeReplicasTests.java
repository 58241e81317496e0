package dev.fluxgate.slack.samples.fleet;

import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user does by hand: the sample started three times, as three processes on their own ports, sharing one Redis
 * and one Slack channel. The payment provider goes down, all three trip through HTTP, and the outage is one thread;
 * it comes back, and the last replica to recover broadcasts the recovery.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class ThreeReplicasTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private static final List<Process> replicas = new ArrayList<>();

	private static final List<Integer> ports = new ArrayList<>();

	@BeforeAll
	static void startThreeReplicas() throws Exception {
		for (int i = 1; i <= 3; i++) {
			int port = Replica.freePort();
			ports.add(port);
			ProcessBuilder replica = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-cp", System.getProperty("java.class.path"), "-Xmx256m", FleetApplication.class.getName(),
					"--server.port=" + port, "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + redis.port(), "--fluxgate.slack.instance-id=replica-" + i,
					"--fluxgate.slack.base-url=" + slack.baseUrl(),
					"--resilience4j.circuitbreaker.instances.payment-api.wait-duration-in-open-state=4s",
					// Slack's pace five times faster, and a digest for a backlog of two seconds, so that a storm is quick
					"--fluxgate.slack.pacing.rate=5", "--fluxgate.slack.digest.backlog=2s",
					"--fluxgate.slack.digest.interval=2s")
				.redirectErrorStream(true)
				.redirectOutput(new File("target/replica-" + i + ".log"));
			replica.environment().put("SLACK_BOT_TOKEN", SlackStandIn.TOKEN);
			replica.environment().put("SLACK_CHANNEL_ID", SlackStandIn.CHANNEL);
			replicas.add(replica.start());
		}
		for (int port : ports) {
			await().atMost(Duration.ofSeconds(90))
				.ignoreExceptions()
				.until(() -> get(port, "/actuator/health").statusCode() == 200);
		}
	}

	@AfterAll
	static void stopReplicas() throws InterruptedException {
		for (Process replica : replicas) {
			replica.destroy();
		}
		for (Process replica : replicas) {
			if (!replica.waitFor(20, TimeUnit.SECONDS)) {
				replica.destroyForcibly();
			}
		}
	}

	@Test
	void oneOutageTrippedThroughHttpOnThreeReplicasIsOneThread() {
		ports.forEach((port) -> put(port, "/provider?up=false"));
		CompletableFuture.allOf(ports.stream()
			.map((port) -> CompletableFuture.runAsync(() -> {
				for (int call = 0; call < 4; call++) {
					assertThat(get(port, "/pay").statusCode()).isEqualTo(503);
				}
			}))
			.toArray(CompletableFuture[]::new)).join();

		await().atMost(Duration.ofSeconds(20)).until(() -> trips().size() == 3);
		List<Post> trips = trips();
		List<Post> roots = trips.stream().filter((post) -> post.threadTs() == null).toList();
		assertThat(roots).as("one root for the outage").hasSize(1);
		String root = roots.get(0).ts();
		assertThat(trips).filteredOn((post) -> post.threadTs() != null)
			.extracting(Post::threadTs)
			.containsExactly(root, root);
		assertThat(trips).extracting(Post::rawBody)
			.anySatisfy((body) -> assertThat(body).contains("replica-1"))
			.anySatisfy((body) -> assertThat(body).contains("replica-2"))
			.anySatisfy((body) -> assertThat(body).contains("replica-3"));
		assertThat(get(ports.get(2), "/actuator/slackthreads").body()).contains("\"instance\":\"replica-1\"",
				"\"instance\":\"replica-2\"", "\"instance\":\"replica-3\"");
		assertThat(new ReactiveStringRedisTemplate(redis.connectionFactory())
			.hasKey("{fluxgate:slack:payments}:thread:payment-api")
			.block()).as("the thread is kept under the application's prefix").isTrue();

		ports.forEach((port) -> put(port, "/provider?up=true"));
		for (int port : ports) {
			await().atMost(Duration.ofSeconds(15)).until(() -> get(port, "/pay").statusCode() == 200
					&& get(port, "/pay").statusCode() == 200 && put(port, "/provider?up=true").contains("CLOSED"));
		}

		await().atMost(Duration.ofSeconds(20))
			.until(() -> payments().stream().filter(Post::broadcast).count() == 1
					&& !new ReactiveStringRedisTemplate(redis.connectionFactory())
						.hasKey("{fluxgate:slack:payments}:thread:payment-api")
						.block());
		assertThat(payments()).as("every message of the outage is in its thread")
			.filteredOn((post) -> post.threadTs() != null)
			.extracting(Post::threadTs)
			.containsOnly(root);
		Post recovery = payments().stream().filter(Post::broadcast).findFirst().get();
		assertThat(recovery.transition()).isEqualTo("HALF_OPEN → CLOSED");
		assertThat(recovery.rawBody()).doesNotContain("Still failing");
	}

	@Test
	void aSmallStormOnThreeReplicasIsToldInOneDigestRoot() {
		CompletableFuture.allOf(ports.stream()
			.map((port) -> CompletableFuture.runAsync(() -> put(port, "/dependencies?up=false&count=30")))
			.toArray(CompletableFuture[]::new)).join();
		await().atMost(Duration.ofSeconds(60)).until(() -> named(digests(), 30));
		List<Post> roots = digests().stream().filter((post) -> post.threadTs() == null).toList();
		assertThat(roots).as("one digest root for the fleet's storm").hasSize(1);
		assertThat(slack.updates()).as("the root lists the instances each breaker fails on")
			.anySatisfy((update) -> assertThat(update.rawBody()).contains("OPEN on 3 instances"));

		CompletableFuture.allOf(ports.stream()
			.map((port) -> CompletableFuture.runAsync(() -> put(port, "/dependencies?up=true&count=30")))
			.toArray(CompletableFuture[]::new)).join();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> !new ReactiveStringRedisTemplate(redis.connectionFactory())
				.hasKey("{fluxgate:slack:payments}:digest:" + SlackStandIn.CHANNEL + ":entries")
				.block());
		assertThat(slack.delivered()).as("the recoveries, from the root's thread")
			.filteredOn((post) -> post.text().contains("circuit breakers recovered"))
			.isNotEmpty()
			.allSatisfy((post) -> assertThat(post.threadTs()).isEqualTo(roots.get(0).ts()));
		assertThat(digests().stream().filter((post) -> post.threadTs() == null)).as("still one root").hasSize(1);
	}

	/** Whether every dependency is told, in its own thread or in the digest. */
	private static boolean named(List<Post> digests, int count) {
		for (int i = 0; i < count; i++) {
			String name = String.format("dependency-%02d", i);
			boolean told = digests.stream().anyMatch((post) -> post.text().contains(name))
					|| slack.delivered().stream().anyMatch((post) -> post.rawBody().contains("\\n" + name + "\""));
			if (!told) {
				return false;
			}
		}
		return true;
	}

	private static List<Post> digests() {
		return slack.delivered().stream().filter((post) -> post.text().contains("more circuit breakers opened")).toList();
	}

	private static List<Post> trips() {
		return payments().stream().filter((post) -> post.transition().equals("CLOSED → OPEN")).toList();
	}

	private static List<Post> payments() {
		return slack.delivered().stream().filter((post) -> post.rawBody().contains("payment-api")).toList();
	}

	private static HttpResponse<String> get(int port, String path) {
		return Replica.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
	}

	private static String put(int port, String path) {
		return Replica.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.PUT(HttpRequest.BodyPublishers.noBody())).body();
	}

}
