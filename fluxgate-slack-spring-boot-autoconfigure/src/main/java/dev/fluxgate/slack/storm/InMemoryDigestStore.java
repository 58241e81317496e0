package dev.fluxgate.slack.storm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import reactor.core.publisher.Mono;

/**
 * A storm digest kept in memory, shared by the listeners of one process that are given the same instance, on a clock
 * that may be a test's virtual one. The fleet's store is Redis's; this one is its specification's reference.
 */
public class InMemoryDigestStore implements DigestStore {

	private final Clock clock;

	private final Map<String, Channel> channels = new HashMap<>();

	private long sequence;

	/**
	 * Create a digest store on the system's clock.
	 */
	public InMemoryDigestStore() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a digest store whose leases and flushes are on a clock.
	 * @param clock the clock
	 */
	public InMemoryDigestStore(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	@Override
	public Mono<Void> append(String channel, String circuitBreaker, String instance, State state) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				Channel digest = this.channels.computeIfAbsent(channel, (id) -> new Channel());
				Member entry = digest.entries.computeIfAbsent(circuitBreaker, (name) -> new Member());
				entry.members.put(instance, state);
				entry.version = ++this.sequence;
			}
		});
	}

	@Override
	public Mono<Void> leave(String channel, String circuitBreaker, String instance) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				Channel digest = this.channels.get(channel);
				Member entry = (digest != null) ? digest.entries.get(circuitBreaker) : null;
				if (entry != null && entry.members.remove(instance) != null) {
					entry.version = ++this.sequence;
				}
			}
		});
	}

	@Override
	public Mono<Turn> turn(String channel, String instance, Duration lease, Duration interval, int owed) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Instant now = this.clock.instant();
				Channel digest = this.channels.computeIfAbsent(channel, (id) -> new Channel());
				digest.heartbeats.put(instance, now);
				digest.owed.put(instance, owed);
				int elsewhere = digest.owed.entrySet()
					.stream()
					.filter((entry) -> !entry.getKey().equals(instance)
							&& !digest.heartbeats.get(entry.getKey()).plus(lease).isBefore(now))
					.mapToInt(Map.Entry::getValue)
					.sum();
				boolean storm = !digest.entries.isEmpty();
				if (digest.holder != null && !digest.holder.equals(instance) && now.isBefore(digest.leaseUntil)) {
					return new Turn(false, false, storm, elsewhere);
				}
				digest.holder = instance;
				digest.leaseUntil = now.plus(lease);
				if (!storm || (digest.flushedAt != null && now.isBefore(digest.flushedAt.plus(interval)))) {
					return new Turn(false, true, storm, elsewhere);
				}
				digest.flushedAt = now;
				return new Turn(true, true, storm, elsewhere);
			}
		});
	}

	@Override
	public Mono<Void> release(String channel, String instance) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				Channel digest = this.channels.get(channel);
				if (digest != null && instance.equals(digest.holder)) {
					digest.holder = null;
				}
			}
		});
	}

	@Override
	public Mono<Ledger> read(String channel) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Channel digest = this.channels.computeIfAbsent(channel, (id) -> new Channel());
				List<Entry> entries = new ArrayList<>();
				digest.entries.forEach((name, entry) -> entries
					.add(new Entry(name, entry.version, entry.mark, new LinkedHashMap<>(entry.members))));
				return new Ledger(digest.rootChannel, digest.rootTs, entries, digest.heartbeats, this.clock.instant());
			}
		});
	}

	@Override
	public Mono<Void> told(String channel, Told told) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				Channel digest = this.channels.computeIfAbsent(channel, (id) -> new Channel());
				if (told.rootTs() != null) {
					digest.rootChannel = told.rootChannel();
					digest.rootTs = told.rootTs();
				}
				for (Version version : told.told()) {
					Member entry = digest.entries.get(version.circuitBreaker());
					if (entry != null) {
						entry.mark = version.mark();
						if (entry.version == version.version()) {
							entry.version = 0;
						}
					}
				}
				if (digest.entries.values()
					.stream()
					.allMatch((entry) -> entry.version == 0 && entry.mark == Mark.RECOVERED)) {
					digest.entries.clear();
					digest.rootChannel = null;
					digest.rootTs = null;
				}
			}
		});
	}

	@Override
	public String toString() {
		return "InMemoryDigestStore";
	}

	private static final class Channel {

		private final Map<String, Member> entries = new LinkedHashMap<>();

		private final Map<String, Instant> heartbeats = new HashMap<>();

		private final Map<String, Integer> owed = new HashMap<>();

		private String holder;

		private Instant leaseUntil = Instant.MIN;

		private Instant flushedAt;

		private String rootChannel;

		private String rootTs;

	}

	private static final class Member {

		private final Map<String, State> members = new LinkedHashMap<>();

		private long version;

		private Mark mark = Mark.NONE;

	}

}
