package dev.fluxgate.slack.samples.fleet;

import java.time.Duration;
import java.util.List;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The only replica in a failure cycle is killed with SIGKILL, and the two others were never in it: one of them, seeing
 * the cycle's last member stop reporting, ends its thread, once; the next outage is a new thread, not a reply in
 * the dead one.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class OnlyMemberKilledTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	static Replicas fleet;

	static List<Replica> replicas;

	@BeforeAll
	static void startThreeReplicas() throws Exception {
		fleet = new Replicas(OnlyMemberKilledTests.class, redis, slack);
		replicas = fleet.start(List.of("replica-1", "replica-2", "replica-3"));
	}

	@AfterAll
	static void stopReplicas() {
		fleet.close();
	}

	@Test
	void aLiveReplicaEndsTheCycleOfAKilledOnlyMemberAndTheNextOutageIsANewThread() throws Exception {
		Replica one = replicas.get(0);
		Replica two = replicas.get(1);
		one.trip();
		await().atMost(Duration.ofSeconds(10)).until(() -> fleet.transitions("CLOSED → OPEN").size() == 1);
		Post root = fleet.transitions("CLOSED → OPEN").get(0);
		assertThat(root.threadTs()).as("replica-1's trip is the root").isNull();
		assertThat(root.rawBody()).contains("replica-1");
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(redis.connectionFactory());
		await("the root is recorded in Redis").atMost(Duration.ofSeconds(10))
			.until(() -> root.ts().equals(template.<String, String>opsForHash()
				.get("{fluxgate:slack:payments}:thread:payment-api", "ts")
				.block()));

		one.kill();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(endings()).as("a reply saying the cycle's last instance stopped reporting: %s",
					Replicas.describe(slack.delivered()))
				.isNotEmpty());
		Thread.sleep(1500);
		assertThat(endings()).as("the end of the dead cycle is told once").singleElement().satisfies((ended) -> {
			assertThat(ended.threadTs()).as("told in the dead cycle's thread").isEqualTo(root.ts());
			assertThat(ended.rawBody()).contains("replica-1");
		});

		two.trip();
		await().atMost(Duration.ofSeconds(10)).until(() -> fleet.transitions("CLOSED → OPEN").size() == 2);
		Post next = fleet.transitions("CLOSED → OPEN").get(1);
		assertThat(next.rawBody()).contains("replica-2");
		assertThat(next.threadTs()).as("replica-2's trip after the dead cycle ended is a new root, not a reply in %s: %s",
				root.ts(), Replicas.describe(slack.delivered()))
			.isNull();
	}

	private static List<Post> endings() {
		return slack.delivered().stream().filter((post) -> post.rawBody().contains("stopped reporting")).toList();
	}

}
