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
 * Two different applications, {@code orders} and {@code billing}, each posting to its own channel, share one Redis
 * and each has a circuit breaker {@code payment-api}. No key prefix is configured: by default the keys are the
 * application's, so each outage is a thread in its own application's channel.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class TwoAppsOneRedisTests {

	private static final String ORDERS_CHANNEL = "C0RDERS0001";

	private static final String BILLING_CHANNEL = "C0B1LL1NG01";

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	static Replicas fleet;

	static Replica orders;

	static Replica billing;

	@BeforeAll
	static void startTwoApplications() throws Exception {
		fleet = new Replicas(TwoAppsOneRedisTests.class, redis, slack);
		orders = fleet.start("orders-1", Map.of(), "--spring.application.name=orders",
				"--fluxgate.slack.channel=" + ORDERS_CHANNEL);
		billing = fleet.start("billing-1", Map.of(), "--spring.application.name=billing",
				"--fluxgate.slack.channel=" + BILLING_CHANNEL);
		Replicas.awaitHealthy(List.of(orders, billing));
	}

	@AfterAll
	static void stopApplications() {
		fleet.close();
	}

	@Test
	void twoApplicationsWithTheSameBreakerNameKeepTheirOwnThreadsInTheirOwnChannels() {
		orders.trip();
		await().atMost(Duration.ofSeconds(10)).until(() -> fleet.transitions("CLOSED → OPEN").size() == 1);
		billing.trip();
		await().atMost(Duration.ofSeconds(10)).until(() -> fleet.transitions("CLOSED → OPEN").size() == 2);
		Post ordersRoot = tripOf("orders-1");
		Post billingRoot = tripOf("billing-1");
		assertThat(ordersRoot.channel()).isEqualTo(ORDERS_CHANNEL);
		assertThat(ordersRoot.threadTs()).as("orders' trip is a root").isNull();
		assertThat(billingRoot.channel()).as("billing's trip goes to billing's channel: %s", Replicas.describe(fleet.payments())).isEqualTo(BILLING_CHANNEL);
		assertThat(billingRoot.threadTs()).as("billing's trip is a root of its own, not a reply in orders' thread %s",
				ordersRoot.ts())
			.isNull();

		Replicas.atOnce(List.of(orders, billing), Replica::recover);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> fleet.payments().stream().filter(Post::broadcast).count() >= 2);
		List<Post> broadcasts = fleet.payments().stream().filter(Post::broadcast).toList();
		assertThat(broadcasts).as("one broadcast recovery per application: %s", Replicas.describe(fleet.payments())).hasSize(2);
		assertThat(broadcasts).filteredOn((post) -> post.rawBody().contains("orders-1"))
			.singleElement()
			.satisfies((post) -> {
				assertThat(post.channel()).isEqualTo(ORDERS_CHANNEL);
				assertThat(post.threadTs()).isEqualTo(ordersRoot.ts());
			});
		assertThat(broadcasts).filteredOn((post) -> post.rawBody().contains("billing-1"))
			.singleElement()
			.satisfies((post) -> {
				assertThat(post.channel()).isEqualTo(BILLING_CHANNEL);
				assertThat(post.threadTs()).isEqualTo(billingRoot.ts());
			});
		assertThat(fleet.payments()).as("every message of an application is in its own channel")
			.allSatisfy((post) -> assertThat(post.channel())
				.isEqualTo(post.rawBody().contains("orders-1") ? ORDERS_CHANNEL : BILLING_CHANNEL));
	}

	private static Post tripOf(String instanceId) {
		return fleet.transitions("CLOSED → OPEN")
			.stream()
			.filter((post) -> post.rawBody().contains(instanceId))
			.findFirst()
			.orElseThrow();
	}

}
