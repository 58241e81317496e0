package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.time.Instant;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.Transition;
import dev.fluxgate.slack.TransitionSnapshot;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadStore;
import dev.fluxgate.slack.thread.ThreadStoreContractTests;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
	void aThreadIsOneExpiringHashUnderThePrefixAndReadsBackWhole() {
		ThreadStore store = createStore();
		TransitionSnapshot trip = new TransitionSnapshot("payment", Transition.of(State.CLOSED, State.OPEN),
				Instant.parse("2026-11-28T10:00:00Z"), new TransitionSnapshot.Numbers(62.5f, 50f, -1f, 100f, 8, 5));
		SlackThread thread = SlackThread.started(trip, "C0123456789", "1700000000.000100")
			.followedBy(new TransitionSnapshot("payment", Transition.of(State.OPEN, State.HALF_OPEN),
					Instant.parse("2026-11-28T10:01:00Z")));
		store.create(thread).block();
		assertThat(store.find("payment").block()).isEqualTo(thread);
		assertThat(template().keys("*").collectList().block()).containsExactly("fluxgate:slack:thread:payment");
		assertThat(template().getExpire("fluxgate:slack:thread:payment").block())
			.isBetween(Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7));
		assertThat(template().<String, String>opsForHash().keys("fluxgate:slack:thread:payment").collectList().block())
			.allSatisfy((field) -> assertThat(field).matches("[a-zA-Z.]+"))
			.doesNotContain("token", "text", "attachments");
	}

}
