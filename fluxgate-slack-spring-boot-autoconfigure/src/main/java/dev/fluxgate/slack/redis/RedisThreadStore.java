package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link ThreadStore} in Redis, shared by every replica that points at it and kept across restarts. Each thread
 * is one hash, {@code {prefix}:thread:{circuit breaker}}, with a TTL renewed on every write; each write is one Lua
 * script, so that it is atomic: {@code create-thread.lua}, {@code replace-thread.lua}, {@code remove-thread.lua}, {@code remove-unchanged-thread.lua}.
 * No token and no message payload is written.
 */
public class RedisThreadStore implements ThreadStore {

	private static final RedisScript<Long> CREATE = script("create-thread.lua");

	private static final RedisScript<Long> REPLACE = script("replace-thread.lua");

	private static final RedisScript<Long> REMOVE = script("remove-thread.lua");

	private static final RedisScript<Long> REMOVE_UNCHANGED = script("remove-unchanged-thread.lua");

	private final ReactiveStringRedisTemplate redis;

	private final String prefix;

	private final Duration threadTtl;

	private final Duration timeout;

	/**
	 * Create a store.
	 * @param redis the template of the application's reactive Redis connection
	 * @param keyPrefix the prefix of every key, such as {@code fluxgate:slack}
	 * @param threadTtl how long a thread with no activity is kept
	 * @param timeout the longest one store operation may take
	 */
	public RedisThreadStore(ReactiveStringRedisTemplate redis, String keyPrefix, Duration threadTtl,
			Duration timeout) {
		this.redis = Objects.requireNonNull(redis, "redis must not be null");
		this.prefix = Objects.requireNonNull(keyPrefix, "keyPrefix must not be null") + ":thread:";
		this.threadTtl = Objects.requireNonNull(threadTtl, "threadTtl must not be null");
		this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
	}

	@Override
	public Mono<SlackThread> find(String circuitBreaker) {
		return RedisCalls.bounded(this.redis.<String, String>opsForHash()
			.entries(key(circuitBreaker))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.filter((fields) -> !fields.isEmpty())
			.map(ThreadFields::thread), this.timeout);
	}

	@Override
	public Mono<Boolean> create(SlackThread thread) {
		List<String> args = new ArrayList<>();
		args.add(String.valueOf(this.threadTtl.toMillis()));
		args.addAll(ThreadFields.flat(ThreadFields.of(thread)));
		return run(CREATE, thread.circuitBreaker(), args);
	}

	@Override
	public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
		List<String> args = new ArrayList<>();
		args.add(String.valueOf(this.threadTtl.toMillis()));
		args.add(ThreadFields.ts(expected));
		args.add(String.valueOf(expected.version()));
		args.addAll(ThreadFields.flat(ThreadFields.of(next)));
		return run(REPLACE, expected.circuitBreaker(), args);
	}

	@Override
	public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
		return run(REMOVE, circuitBreaker, List.of(threadTs));
	}

	@Override
	public Mono<Boolean> remove(SlackThread expected) {
		return run(REMOVE_UNCHANGED, expected.circuitBreaker(),
				List.of(ThreadFields.ts(expected), String.valueOf(expected.version())));
	}

	@Override
	public Flux<SlackThread> findAll() {
		return RedisCalls.bounded(this.redis.scan(ScanOptions.scanOptions().match(this.prefix + "*").count(100).build())
			.collectList(), this.timeout)
			.flatMapMany(Flux::fromIterable)
			.concatMap((key) -> find(key.substring(this.prefix.length())));
	}

	private Mono<Boolean> run(RedisScript<Long> script, String circuitBreaker, List<String> args) {
		return RedisCalls.bounded(this.redis.execute(script, List.of(key(circuitBreaker)), args)
			.next()
			.map((result) -> result == 1L), this.timeout);
	}

	private String key(String circuitBreaker) {
		return this.prefix + circuitBreaker;
	}

	static RedisScript<Long> script(String name) {
		return RedisScript.of(new ClassPathResource("dev/fluxgate/slack/redis/" + name), Long.class);
	}

	@Override
	public String toString() {
		return "RedisThreadStore[prefix=" + this.prefix + ", threadTtl=" + this.threadTtl + "]";
	}

}
