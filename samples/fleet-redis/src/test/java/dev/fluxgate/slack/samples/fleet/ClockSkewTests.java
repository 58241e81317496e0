package dev.fluxgate.slack.samples.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * Three replicas whose wall clocks disagree by 20 s either way, far more than the heartbeat's silence (three
 * heartbeats) or a claim's lifetime: only Redis's clock counts, so each outage is still one thread with every
 * replica's reply in it and one broadcast recovery, and no live replica is taken for dead.
 */
@RequiresPrograms(value = { RedisServer.PROGRAM, Replicas.FAKETIME_PROGRAM },
		install = "redis-server and faketime (Debian: apt-get install redis-server faketime)")
class ClockSkewTests {

	private static final int CYCLES = 3;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	static Replicas fleet;

	static List<Replica> replicas;

	@BeforeAll
	static void startThreeReplicasWithSkewedClocks() throws Exception {
		fleet = new Replicas(ClockSkewTests.class, redis, slack);
		String[] arguments = { "--fluxgate.slack.timeout=2s" };
		replicas = List.of(fleet.start("replica-1", Map.of(), arguments),
				fleet.start("replica-2", Replicas.clockOffBy("+20s"), arguments),
				fleet.start("replica-3", Replicas.clockOffBy("-20s"), arguments));
		Replicas.awaitHealthy(replicas);
	}

	@AfterAll
	static void stopReplicas() {
		fleet.close();
	}

	@Test
	void replicasWhoseClocksDisagreeShareOneThreadPerOutage() {
		for (int cycle = 1; cycle <= CYCLES; cycle++) {
			int trips = cycle * 3;
			int recoveries = cycle;
			Replicas.atOnce(replicas, Replica::trip);
			await().atMost(Duration.ofSeconds(15)).until(() -> fleet.transitions("CLOSED → OPEN").size() >= trips);
			List<Post> tripsOfCycle = fleet.transitions("CLOSED → OPEN").subList(trips - 3, trips);
			List<Post> roots = tripsOfCycle.stream().filter((post) -> post.threadTs() == null).toList();
			assertThat(Replicas.describe(roots)).as("cycle %d: one root among %s", cycle, Replicas.describe(tripsOfCycle))
				.hasSize(1);
			String root = roots.get(0).ts();
			assertThat(tripsOfCycle).as("cycle %d: every replica's trip is in the thread: %s", cycle, Replicas.describe(tripsOfCycle))
				.filteredOn((post) -> post.threadTs() != null)
				.extracting(Post::threadTs)
				.containsExactly(root, root);
			assertThat(tripsOfCycle).extracting(Post::rawBody)
				.anySatisfy((body) -> assertThat(body).contains("replica-1"))
				.anySatisfy((body) -> assertThat(body).contains("replica-2"))
				.anySatisfy((body) -> assertThat(body).contains("replica-3"));

			Replicas.atOnce(replicas, Replica::recover);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> fleet.payments().stream().filter(Post::broadcast).count() >= recoveries
						&& !replicas.get(0).threads().contains("payment-api"));
			List<Post> broadcasts = fleet.payments().stream().filter(Post::broadcast).toList();
			assertThat(broadcasts).as("cycle %d: one broadcast recovery per cycle: %s", cycle, Replicas.describe(fleet.payments())).hasSize(recoveries);
			assertThat(broadcasts.get(recoveries - 1).threadTs()).as("cycle %d: the recovery is in the thread", cycle)
				.isEqualTo(root);
			assertThat(slack.delivered()).as("cycle %d: no live replica is taken for dead", cycle)
				.extracting(Replicas::describe)
				.noneMatch((post) -> post.contains("stopped reporting"));
		}
	}

}
