package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.fluxgate.slack.storm.DigestStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The fleet's storm digests in Redis, one per channel under {@code {prefix}:digest:channel:…}: the entries in the order
 * they joined (a sorted set), their pending versions, what was told of them and their members' states (hashes), the
 * posted root, the lease ({@code SET NX PX}, renewed by its holder), the last flush and each replica's heartbeat, all on
 * Redis's clock and with the thread TTL. Appending, taking a turn, reading and recording what was told are one Lua
 * script each. The prefix in braces is the keys' Redis Cluster hash tag, as for the threads.
 */
public class RedisDigestStore implements DigestStore {

	private static final RedisScript<Long> APPEND = RedisThreadStore.script("digest-append.lua");

	private static final RedisScript<List> TURN = list("digest-turn.lua");

	private static final RedisScript<List> READ = list("digest-read.lua");

	private static final RedisScript<Long> TOLD = RedisThreadStore.script("digest-told.lua");

	private static final RedisScript<Long> RELEASE = RedisThreadStore.script("digest-release.lua");

	/**
	 * How long, at most, a replica that stopped taking turns is remembered: far longer than it counts among the
	 * instances, and no longer than the digest's TTL.
	 */
	private static final Duration FORGET_SILENT = Duration.ofHours(1);

	private static final String MEMBER_SEPARATOR = "\0";

	private final ReactiveStringRedisTemplate redis;

	private final String prefix;

	private final Duration ttl;

	private final Duration timeout;

	/**
	 * Create a store.
	 * @param redis the template of the application's reactive Redis connection
	 * @param keyPrefix the prefix of every key, such as {@code fluxgate:slack:orders}, without braces: they are added
	 * around it
	 * @param ttl how long a storm's digest is kept after its last new breaker
	 * @param timeout the longest one store operation may take
	 */
	public RedisDigestStore(ReactiveStringRedisTemplate redis, String keyPrefix, Duration ttl, Duration timeout) {
		this.redis = Objects.requireNonNull(redis, "redis must not be null");
		this.prefix = "{" + Objects.requireNonNull(keyPrefix, "keyPrefix must not be null") + "}";
		this.ttl = Objects.requireNonNull(ttl, "ttl must not be null");
		this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
	}

	private static RedisScript<List> list(String name) {
		return RedisScript.of(new ClassPathResource("dev/fluxgate/slack/redis/" + name), List.class);
	}

	@Override
	public Mono<Void> append(String channel, String circuitBreaker, String instance, State state) {
		return write(channel, circuitBreaker, instance, state.name());
	}

	@Override
	public Mono<Void> leave(String channel, String circuitBreaker, String instance) {
		return write(channel, circuitBreaker, instance, "");
	}

	private Mono<Void> write(String channel, String circuitBreaker, String instance, String state) {
		return run(APPEND,
				List.of(key(channel, "entries"), key(channel, "pending"), key(channel, "members"),
						key(channel, "sequence"), key(channel, "told")),
				List.of(circuitBreaker, instance, state, millis(this.ttl)))
			.then();
	}

	@Override
	public Mono<Turn> turn(String channel, String instance, Duration lease, Duration interval, int owed) {
		return run(TURN,
				List.of(key(channel, "lease"), key(channel, "flushed"), key(channel, "entries"),
						key(channel, "pending"), key(channel, "heartbeats"), key(channel, "owed")),
				List.of(instance, millis(lease), String.valueOf(Math.max(0, interval.toMillis())), millis(this.ttl),
						String.valueOf(owed),
						millis((this.ttl.compareTo(FORGET_SILENT) < 0) ? this.ttl : FORGET_SILENT)))
			.map((answer) -> new Turn(flag(answer, 0), flag(answer, 1), flag(answer, 2),
					((Number) answer.get(3)).intValue()));
	}

	@Override
	public Mono<Void> release(String channel, String instance) {
		return run(RELEASE, List.of(key(channel, "lease")), List.of(instance)).then();
	}

	@Override
	@SuppressWarnings("unchecked")
	public Mono<Ledger> read(String channel) {
		return run(READ,
				List.of(key(channel, "root"), key(channel, "entries"), key(channel, "pending"), key(channel, "told"),
						key(channel, "members"), key(channel, "heartbeats")),
				List.of())
			.map((answer) -> {
				List<Object> root = (List<Object>) answer.get(0);
				List<Object> names = (List<Object>) answer.get(1);
				Map<String, String> pending = pairs(answer.get(2));
				Map<String, String> told = pairs(answer.get(3));
				Map<String, Map<String, State>> members = new HashMap<>();
				pairs(answer.get(4)).forEach((field, state) -> {
					int separator = field.lastIndexOf(MEMBER_SEPARATOR);
					members.computeIfAbsent(field.substring(0, separator), (name) -> new LinkedHashMap<>())
						.put(field.substring(separator + 1), State.valueOf(state));
				});
				Map<String, Instant> heartbeats = new HashMap<>();
				pairs(answer.get(5)).forEach(
						(instance, millis) -> heartbeats.put(instance, Instant.ofEpochMilli(Long.parseLong(millis))));
				List<Entry> entries = new ArrayList<>();
				for (Object name : names) {
					String breaker = (String) name;
					String version = pending.get(breaker);
					entries.add(new Entry(breaker, (version != null) ? Long.parseLong(version) : 0, mark(told.get(breaker)),
							members.getOrDefault(breaker, Map.of())));
				}
				return new Ledger((String) root.get(0), (String) root.get(1), entries, heartbeats,
						Instant.ofEpochMilli(((Number) answer.get(6)).longValue()));
			});
	}

	@Override
	public Mono<Void> told(String channel, Told told) {
		List<String> args = new ArrayList<>();
		args.add((told.rootTs() != null && told.rootChannel() != null) ? told.rootChannel() : "");
		args.add((told.rootTs() != null) ? told.rootTs() : "");
		args.add(millis(this.ttl));
		for (Version version : told.told()) {
			args.add(version.circuitBreaker());
			args.add(String.valueOf(version.version()));
			args.add(switch (version.mark()) {
				case RECOVERED -> "r";
				case ELSEWHERE -> "e";
				default -> "o";
			});
		}
		return run(TOLD, List.of(key(channel, "root"), key(channel, "entries"), key(channel, "pending"),
				key(channel, "told"), key(channel, "members")), args)
			.then();
	}

	private <T> Mono<T> run(RedisScript<T> script, List<String> keys, List<String> args) {
		return RedisCalls.bounded(this.redis.execute(script, keys, args).next(), this.timeout);
	}

	private String key(String channel, String part) {
		return this.prefix + ":digest:" + channel + ":" + part;
	}

	private static String millis(Duration duration) {
		return String.valueOf(Math.max(1, duration.toMillis()));
	}

	private static boolean flag(List<?> answer, int index) {
		return ((Number) answer.get(index)).longValue() == 1;
	}

	private static Mark mark(String told) {
		if (told == null) {
			return Mark.NONE;
		}
		return switch (told) {
			case "r" -> Mark.RECOVERED;
			case "e" -> Mark.ELSEWHERE;
			default -> Mark.OPENED;
		};
	}

	private static Map<String, String> pairs(Object flat) {
		List<?> list = (List<?>) flat;
		Map<String, String> pairs = new LinkedHashMap<>();
		for (int i = 0; i + 1 < list.size(); i += 2) {
			pairs.put((String) list.get(i), (String) list.get(i + 1));
		}
		return pairs;
	}

	@Override
	public String toString() {
		return "RedisDigestStore[prefix=" + this.prefix.substring(1, this.prefix.length() - 1) + "]";
	}

}
