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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis freezes (SIGSTOP) for longer than the store's timeout and several heartbeats while three replicas are in one
 * outage, all three HALF_OPEN with the provider still down, then thaws. Nobody was gone: the recovery is broadcast only
 * when the last replica recovers, once, in the outage's thread.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class RedisPausedTests {

	private static final Duration PAUSE = Duration.ofSeconds(4);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	static Replicas fleet;

	static List<Replica> replicas;

	@BeforeAll
	static void startThreeReplicas() throws Exception {
		fleet = new Replicas(RedisPausedTests.class, redis, slack);
		replicas = fleet.start(List.of("replica-1", "replica-2", "replica-3"), "--fluxgate.slack.redis.timeout=500ms");
	}

	@AfterAll
	static void stopReplicas() {
		redis.resume();
		fleet.close();
	}

	@Test
	void aFrozenRedisEndsNoMembershipAndOnlyTheLastRecoveryIsBroadcast() throws Exception {
		replicas.get(0).trip();
		await().atMost(Duration.ofSeconds(10)).until(() -> fleet.transitions("CLOSED → OPEN").size() == 1);
		Replicas.atOnce(replicas.subList(1, 3), Replica::trip);
		await().atMost(Duration.ofSeconds(10)).until(() -> fleet.transitions("CLOSED → OPEN").size() == 3);
		List<Post> trips = fleet.transitions("CLOSED → OPEN");
		String root = trips.get(0).ts();
		assertThat(trips).as("%s", Replicas.describe(trips)).extracting(Post::threadTs).containsExactly(null, root, root);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> replicas.get(0).threads().contains("\"instance\":\"replica-3\"")
					&& fleet.transitions("OPEN → HALF_OPEN").size() == 3);

		redis.pause();
		try {
			Thread.sleep(PAUSE.toMillis());
		}
		finally {
			redis.resume();
		}

		Replicas.atOnce(replicas.subList(0, 2), Replica::recover);
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Replicas.describe(fleet.payments()))
				.as("no recovery is broadcast while replica-3 still fails (%s)", replicas.get(2).state())
				.noneMatch((post) -> post.contains(" broadcast ts ")));

		replicas.get(2).recover();
		await().atMost(Duration.ofSeconds(15)).until(() -> fleet.payments().stream().anyMatch(Post::broadcast));
		Thread.sleep(1500);
		List<Post> payments = fleet.payments();
		assertThat(payments).as("one broadcast recovery: %s", Replicas.describe(payments)).filteredOn(Post::broadcast).singleElement().satisfies(
				(recovery) -> assertThat(recovery.threadTs()).as("in the outage's thread").isEqualTo(root));
		assertThat(payments).as("no recovery told outside the thread: %s", Replicas.describe(payments))
			.filteredOn((post) -> post.threadTs() == null)
			.noneMatch((post) -> Replicas.transitionOf(post).endsWith("CLOSED"));
		assertThat(payments).as("one thread for the whole outage, pause included: %s", Replicas.describe(payments))
			.filteredOn((post) -> post.threadTs() == null)
			.hasSize(1);
	}

}
