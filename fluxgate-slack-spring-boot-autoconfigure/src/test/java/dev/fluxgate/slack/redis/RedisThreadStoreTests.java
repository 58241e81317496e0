package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadStore;
import dev.fluxgate.slack.thread.ThreadStoreContractTests;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis store keeps the thread store contract against a real {@code redis-server}, and writes a thread as a hash
 * that expires, with nothing but names, {@code ts}, channel, times, states and numbers.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class RedisThreadStoreTests extends ThreadStoreContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private ReactiveStringRedisTemplate template() {
		return new ReactiveStringRedisTemplate(redis.connectionFactory());
	}

	@Override
	protected ThreadStore createStore() {
		redis.flush();
		return new RedisThreadStore(template(), "fluxgate:slack", Duration.ofDays(7), Duration.ofSeconds(2));
	}

	@Test
	void aThreadIsOneExpiringHashUnderTheTaggedPrefixIndexedAmongTheOpenCyclesAndReadsBackWhole() {
		ThreadStore store = createStore();
		TransitionSnapshot trip = new TransitionSnapshot("payment", Transition.of(State.CLOSED, State.OPEN),
				Instant.parse("2026-11-28T10:00:00Z"), new TransitionSnapshot.Numbers(62.5f, 50f, -1f, 100f, 8, 5));
		SlackThread thread = SlackThread.started(trip, "C0123456789", "1700000000.000100")
			.followedBy(new TransitionSnapshot("payment", Transition.of(State.OPEN, State.HALF_OPEN),
					Instant.parse("2026-11-28T10:01:00Z")));
		store.create(thread).block();
		assertThat(store.find("payment").block()).isEqualTo(thread);
		assertThat(template().keys("*").collectList().block())
			.containsExactlyInAnyOrder("{fluxgate:slack}:thread:payment", "{fluxgate:slack}:cycles");
		assertThat(template().getExpire("{fluxgate:slack}:thread:payment").block())
			.isBetween(Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7));
		assertThat(template().getExpire("{fluxgate:slack}:cycles").block())
			.isBetween(Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7));
		assertThat(template().opsForZSet().range("{fluxgate:slack}:cycles", Range.unbounded()).collectList().block())
			.containsExactly("payment");
		assertThat(store.count().block()).isEqualTo(1);
		assertThat(template().<String, String>opsForHash().keys("{fluxgate:slack}:thread:payment").collectList().block())
			.allSatisfy((field) -> assertThat(field).matches("[a-zA-Z.]+"))
			.doesNotContain("token", "text", "attachments");
		store.remove(thread).block();
		assertThat(template().keys("*").collectList().block()).as("the index leaves with its last cycle").isEmpty();
	}

	@Test
	void countingTheOpenThreadsIsOneCommandWhateverTheirNumber() {
		ThreadStore store = createStore();
		for (int i = 0; i < 1000; i++) {
			store.create(SlackThread.started(new TransitionSnapshot("breaker-" + i,
					Transition.of(State.CLOSED, State.OPEN), Instant.parse("2026-11-28T10:00:00Z")), "C0123456789",
					"1." + i)).block();
		}
		ReactiveRedisConnection connection = redis.connectionFactory().getReactiveConnection();
		connection.serverCommands().resetConfigStats().block();
		assertThat(store.count().block()).isEqualTo(1000);
		Properties stats = connection.serverCommands().info("commandstats").block();
		assertThat(stats.getProperty("cmdstat_zcard")).startsWith("calls=1,");
		assertThat(stats.stringPropertyNames())
			.filteredOn((name) -> name.startsWith("cmdstat_") && !name.startsWith("cmdstat_config"))
			.as("no scan, no read of each thread").containsExactly("cmdstat_zcard");
		connection.close();
	}

}
