package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.fluxgate.slack.thread.Beat;
import dev.fluxgate.slack.thread.Fleet;
import dev.fluxgate.slack.thread.Lookup;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link ThreadStore} in Redis, {@link #isShared() shared} by every replica that points at it and kept across
 * restarts. Each thread is one hash, {@code {prefix}:thread:{circuit breaker}}, and the open cycles are indexed in a
 * sorted set, {@code {prefix}:cycles}, scored by their last sign of life on Redis's clock, so that counting them is
 * one command and the abandoned ones are found without a scan. The prefix is a hash tag: every key of one
 * application is in one slot of a Redis Cluster. Each operation is one Lua script, so that it is atomic:
 * {@code find-thread.lua}, {@code write-thread.lua}, {@code remove-thread.lua}, {@code beat.lua}. Every key has a
 * TTL, renewed on each write. No token and no message payload is written.
 */
public class RedisThreadStore implements ThreadStore {

	private static final RedisScript<List> FIND = RedisScript.of(resource("find-thread.lua"), List.class);

	private static final RedisScript<Long> WRITE = script("write-thread.lua");

	private static final RedisScript<Long> REMOVE = script("remove-thread.lua");

	private static final RedisScript<List> BEAT = RedisScript.of(resource("beat.lua"), List.class);

	private static final int ABANDONED_PER_BEAT = 32;

	private final ReactiveStringRedisTemplate redis;

	private final String threadKeys;

	private final String index;

	private final Duration threadTtl;

	private final Duration timeout;

	/**
	 * Create a store.
	 * @param redis the template of the application's reactive Redis connection
	 * @param keyPrefix the prefix of every key, such as {@code fluxgate:slack:orders}; it is the keys' hash tag
	 * @param threadTtl how long a thread with no activity is kept
	 * @param timeout the longest one store operation may take
	 */
	public RedisThreadStore(ReactiveStringRedisTemplate redis, String keyPrefix, Duration threadTtl,
			Duration timeout) {
		this.redis = Objects.requireNonNull(redis, "redis must not be null");
		String tag = "{" + Objects.requireNonNull(keyPrefix, "keyPrefix must not be null") + "}";
		this.threadKeys = tag + ":thread:";
		this.index = tag + ":cycles";
		this.threadTtl = Objects.requireNonNull(threadTtl, "threadTtl must not be null");
		this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
	}

	@Override
	public boolean isShared() {
		return true;
	}

	@Override
	public Mono<SlackThread> find(String circuitBreaker) {
		return lookup(circuitBreaker).mapNotNull(Lookup::thread);
	}

	@Override
	public Mono<Lookup> lookup(String circuitBreaker) {
		return RedisCalls.bounded(this.redis.execute(FIND, List.of(key(circuitBreaker)), List.of())
			.next()
			.map((answer) -> {
				List<?> values = (List<?>) answer;
				Map<String, String> fields = new HashMap<>();
				for (int i = 1; i + 1 < values.size(); i += 2) {
					fields.put(String.valueOf(values.get(i)), String.valueOf(values.get(i + 1)));
				}
				return new Lookup(fields.isEmpty() ? null : ThreadFields.thread(fields),
						ThreadFields.instant(String.valueOf(values.get(0))));
			}), this.timeout);
	}

	@Override
	public Mono<Boolean> create(SlackThread thread) {
		return write("create", thread, Fleet.NONE, thread);
	}

	@Override
	public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
		return write("replace", expected, expected.fleet(), next);
	}

	private Mono<Boolean> write(String operation, SlackThread expected, Fleet before, SlackThread next) {
		Map<String, String> fields = ThreadFields.of(next);
		List<String> args = new ArrayList<>();
		args.add(operation);
		args.add(String.valueOf(this.threadTtl.toMillis()));
		args.add(next.circuitBreaker());
		args.add(ThreadFields.ts(expected));
		args.add(String.valueOf(expected.version()));
		args.add(ThreadFields.claim(expected));
		args.add(String.valueOf(fields.size()));
		args.addAll(ThreadFields.flat(fields));
		args.addAll(ThreadFields.memberChanges(before, next.fleet()));
		return run(WRITE, next.circuitBreaker(), args);
	}

	@Override
	public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
		return run(REMOVE, circuitBreaker, List.of(circuitBreaker, threadTs, "", ""));
	}

	@Override
	public Mono<Boolean> remove(SlackThread expected) {
		return run(REMOVE, expected.circuitBreaker(),
				List.of(expected.circuitBreaker(), ThreadFields.ts(expected), String.valueOf(expected.version()),
						ThreadFields.claim(expected)));
	}

	@Override
	public Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
		List<String> keys = new ArrayList<>();
		keys.add(this.index);
		List<String> args = new ArrayList<>(List.of(instance, String.valueOf(silence.toMillis()), this.threadKeys,
				String.valueOf(ABANDONED_PER_BEAT), String.valueOf(this.threadTtl.toMillis())));
		states.forEach((name, state) -> {
			keys.add(key(name));
			args.add(name);
			args.add(state.name());
		});
		return RedisCalls.bounded(this.redis.execute(BEAT, keys, args).next().map((answer) -> {
			List<String> values = ((List<?>) answer).stream().map(String::valueOf).toList();
			int gone = Integer.parseInt(values.get(0));
			return new Beat(new HashSet<>(values.subList(1, 1 + gone)), values.subList(1 + gone, values.size()));
		}), this.timeout);
	}

	@Override
	public Flux<SlackThread> findAll() {
		return RedisCalls.bounded(this.redis.opsForZSet().range(this.index, Range.unbounded())
			.collectList(), this.timeout)
			.flatMapMany(Flux::fromIterable)
			.concatMap(this::find);
	}

	@Override
	public Mono<Long> count() {
		return RedisCalls.bounded(this.redis.opsForZSet().size(this.index), this.timeout);
	}

	private Mono<Boolean> run(RedisScript<Long> script, String circuitBreaker, List<String> args) {
		return RedisCalls.bounded(this.redis.execute(script, List.of(key(circuitBreaker), this.index), args)
			.next()
			.map((result) -> result == 1L), this.timeout);
	}

	private String key(String circuitBreaker) {
		return this.threadKeys + circuitBreaker;
	}

	static RedisScript<Long> script(String name) {
		return RedisScript.of(resource(name), Long.class);
	}

	private static ClassPathResource resource(String name) {
		return new ClassPathResource("dev/fluxgate/slack/redis/" + name);
	}

	@Override
	public String toString() {
		return "RedisThreadStore[keys=" + this.threadKeys + "*, threadTtl=" + this.threadTtl + "]";
	}

}
