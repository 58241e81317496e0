package dev.fluxgate.slack.redis;

import java.time.Duration;

import dev.fluxgate.slack.RequiresPrograms;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pace the replicas share in a real Redis: a refusal's hold, and the keys it is kept under.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class RedisSharedPaceTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private ReactiveStringRedisTemplate template;

	private RedisSharedPace pace;

	@BeforeEach
	void emptyRedis() {
		redis.flush();
		this.template = new ReactiveStringRedisTemplate(redis.connectionFactory());
		this.pace = new RedisSharedPace(this.template, "fluxgate:slack", Duration.ofSeconds(1));
	}

	@Test
	void everyKeyCarriesThePrefixAsItsHashTag() {
		RedisSharedPace orders = new RedisSharedPace(this.template, "fluxgate:slack:orders", Duration.ofSeconds(1));
		orders.turn("C0123", 3, Duration.ofSeconds(1)).block();
		orders.hold("C0123", Duration.ofSeconds(5)).block();
		assertThat(this.template.keys("*").collectList().block()).containsExactlyInAnyOrder(
				"{fluxgate:slack:orders}:pace:C0123", "{fluxgate:slack:orders}:hold:C0123");
	}

	@Test
	void aRetryAfterOfZeroHoldsNothingAndTheNextTurnIsFree() {
		this.pace.hold("C0123", Duration.ZERO).block();
		assertThat(this.template.keys("*").collectList().block()).isEmpty();
		assertThat(this.pace.turn("C0123", 1, Duration.ofSeconds(1)).block()).isZero();
	}

	@Test
	void aRetryAfterInThePastHoldsNothing() {
		this.pace.hold("C0123", Duration.ofMillis(-1)).block();
		this.pace.hold("C0123", Duration.ofSeconds(-5)).block();
		assertThat(this.template.keys("*").collectList().block()).isEmpty();
	}

	@Test
	void aPositiveRetryAfterHoldsTheChannel() {
		this.pace.hold("C0123", Duration.ofSeconds(5)).block();
		assertThat(this.pace.turn("C0123", 1, Duration.ofSeconds(1)).block())
			.isGreaterThan(Duration.ofSeconds(4));
	}

}
