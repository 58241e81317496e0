package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.fluxgate.slack.delivery.SharedPace;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The pace of each channel shared by the replicas in Redis: a token bucket per channel, {@code {prefix}:pace:channel},
 * refilled on Redis's clock, and the hold a refusal puts on the channel, {@code {prefix}:hold:channel}, which expires
 * when Slack's {@code Retry-After} is over. Each is one Lua script: {@code take-turn.lua} and
 * {@code hold-channel.lua}. The prefix in braces is the keys' Redis Cluster hash tag: all of an application's keys
 * hash to one slot, so that a script touching several never fails with {@code CROSSSLOT}.
 */
public class RedisSharedPace implements SharedPace {

	private static final RedisScript<Long> TAKE_TURN = RedisThreadStore.script("take-turn.lua");

	private static final RedisScript<Long> HOLD = RedisThreadStore.script("hold-channel.lua");

	private static final Duration IDLE = Duration.ofHours(1);

	private final ReactiveStringRedisTemplate redis;

	private final String prefix;

	private final Duration timeout;

	/**
	 * Create a shared pace.
	 * @param redis the template of the application's reactive Redis connection
	 * @param keyPrefix the prefix of every key, such as {@code fluxgate:slack:orders}, without braces: they are added
	 * around it
	 * @param timeout the longest one operation may take
	 */
	public RedisSharedPace(ReactiveStringRedisTemplate redis, String keyPrefix, Duration timeout) {
		this.redis = Objects.requireNonNull(redis, "redis must not be null");
		this.prefix = "{" + Objects.requireNonNull(keyPrefix, "keyPrefix must not be null") + "}";
		this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
	}

	@Override
	public Mono<Duration> turn(String channel, int burst, Duration interval) {
		return run(TAKE_TURN, List.of(this.prefix + ":pace:" + channel, this.prefix + ":hold:" + channel),
				List.of(String.valueOf(burst), String.valueOf(Math.max(1, interval.toMillis())),
						String.valueOf(IDLE.toMillis())))
			.map(Duration::ofMillis);
	}

	@Override
	public Mono<Void> hold(String channel, Duration retryAfter) {
		return run(HOLD, List.of(this.prefix + ":hold:" + channel), List.of(String.valueOf(retryAfter.toMillis())))
			.then();
	}

	private Mono<Long> run(RedisScript<Long> script, List<String> keys, List<String> args) {
		return RedisCalls.bounded(this.redis.execute(script, keys, args).next(), this.timeout);
	}

	@Override
	public String toString() {
		return "RedisSharedPace[prefix=" + this.prefix.substring(1, this.prefix.length() - 1) + "]";
	}

}
