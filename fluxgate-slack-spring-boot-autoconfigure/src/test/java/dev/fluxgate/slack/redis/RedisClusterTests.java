package dev.fluxgate.slack.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import dev.fluxgate.slack.thread.ThreadStore;
import dev.fluxgate.slack.thread.ThreadStoreContractTests;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against a real Redis Cluster of three masters, as many users run Redis: every script touches keys of one slot, so
 * the shared pace, the thread store contract and a whole failure cycle work without {@code CROSSSLOT}, and without
 * the listener falling back to its own memory.
 */
@RequiresPrograms(value = { RedisServer.PROGRAM, RedisCluster.CLI },
		install = "redis-server and redis-tools (Debian: apt-get install redis-server redis-tools)")
class RedisClusterTests extends ThreadStoreContractTests {

	@RegisterExtension
	static final RedisCluster cluster = new RedisCluster();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private static ReactiveStringRedisTemplate template;

	@BeforeAll
	static void connectAndLearnTheTopology() {
		template = new ReactiveStringRedisTemplate(cluster.newConnectionFactory());
		template.hasKey("fluxgate:slack:orders:warm-up").block(Duration.ofSeconds(10));
	}

	private static ReactiveStringRedisTemplate template() {
		return template;
	}

	@Override
	protected ThreadStore createStore() {
		cluster.flush();
		return new RedisThreadStore(template(), "fluxgate:slack:orders", Duration.ofDays(7), Duration.ofSeconds(2));
	}

	@Test
	void theSharedPaceTakesTurnsAndHoldsAChannelOnACluster() {
		RedisSharedPace pace = new RedisSharedPace(template(), "fluxgate:slack:orders", Duration.ofSeconds(2));
		assertThat(pace.turn("C1", 5, Duration.ofSeconds(1)).block()).as("a fresh bucket gives a turn at once")
			.isEqualTo(Duration.ZERO);
		pace.hold("C1", Duration.ofSeconds(1)).block();
		assertThat(pace.turn("C1", 5, Duration.ofSeconds(1)).block()).as("a held channel gives no turn")
			.isPositive()
			.isLessThanOrEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aFailureCycleOnAClusterIsOneThreadWithoutFallingBackToMemory() throws Exception {
		List<String> fellBack = new CopyOnWriteArrayList<>();
		DeliveryObserver observer = new DeliveryObserver() {
			@Override
			public void storeFellBack(String operation, Throwable cause) {
				fellBack.add(operation + ": " + cause);
			}
		};
		ThreadStore store = new FallbackThreadStore(
				new RedisThreadStore(new ReactiveStringRedisTemplate(cluster.newConnectionFactory()), "fluxgate:slack:orders", Duration.ofDays(7), Duration.ofSeconds(2)),
				() -> observer);
		AsyncSlackListener listener = slack.configure(AsyncSlackListener.builder())
			.threadStore(store)
			.fleet("pod-a", Duration.ofMillis(300))
			.observer(observer)
			.build();
		try {
			CircuitBreaker payment = CircuitBreaker.of("payment", CircuitBreakerConfig.custom()
				.slidingWindowSize(2)
				.minimumNumberOfCalls(2)
				.permittedNumberOfCallsInHalfOpenState(1)
				.waitDurationInOpenState(Duration.ofMillis(300))
				.automaticTransitionFromOpenToHalfOpenEnabled(true)
				.build());
			listener.bindTo(payment);
			payment.onError(1, TimeUnit.MILLISECONDS, new IOException("payment provider unavailable"));
			payment.onError(1, TimeUnit.MILLISECONDS, new IOException("payment provider unavailable"));
			assertThat(payment.getState()).isEqualTo(State.OPEN);
			await().atMost(Duration.ofSeconds(5)).until(() -> payment.getState() == State.HALF_OPEN);
			payment.onSuccess(1, TimeUnit.MILLISECONDS);
			assertThat(payment.getState()).isEqualTo(State.CLOSED);

			await().atMost(Duration.ofSeconds(15)).until(() -> slack.delivered().stream().anyMatch(Post::broadcast));
			List<Post> posts = slack.delivered();
			List<Post> roots = posts.stream().filter((post) -> post.threadTs() == null).toList();
			assertThat(roots).as("one root: %s", posts).hasSize(1);
			assertThat(roots.get(0).transition()).isEqualTo("CLOSED → OPEN");
			Post recovery = posts.stream().filter(Post::broadcast).findFirst().get();
			assertThat(recovery.threadTs()).as("the recovery is broadcast in the root's thread").isEqualTo(roots.get(0).ts());
			assertThat(recovery.transition()).isEqualTo("HALF_OPEN → CLOSED");
			assertThat(fellBack).as("the store never fell back to memory").isEmpty();
			await().atMost(Duration.ofSeconds(5)).until(() -> store.find("payment").blockOptional().isEmpty());
			assertThat(fellBack).as("the store never fell back to memory").isEmpty();
		}
		finally {
			listener.close();
		}
	}

}
