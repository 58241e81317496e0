package dev.fluxgate.slack.storm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

import dev.fluxgate.slack.thread.ThreadRules;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import reactor.core.publisher.Mono;

/**
 * Where the replicas of a service keep one storm digest per channel, so that a storm is told once for the fleet: each
 * replica appends the transitions of its breakers, and one replica at a time, the holder of the channel's lease,
 * flushes what is pending at each interval.
 * <p>
 * An entry is one circuit breaker of the storm: the state of each replica it is failing or recovered on (its members),
 * the version of its last change not yet told ({@code 0} when none), and what the digest has told of it. Appending is
 * one atomic write; the flusher acknowledges only the versions it read, so a change appended while it posts stays
 * pending. The lease and the flush times are on the store's clock, never a host's.
 */
public interface DigestStore {

	/**
	 * Append a transition of a breaker on one replica: its member's state, and a new version pending.
	 * @param channel the channel of the digest
	 * @param circuitBreaker the circuit breaker's name
	 * @param instance the replica's instance id
	 * @param state the state the breaker moved to on that replica
	 * @return completes once appended
	 */
	Mono<Void> append(String channel, String circuitBreaker, String instance, State state);

	/**
	 * Take a replica's breaker out of the digest, as it left its registry: its member goes, and a version is pending.
	 * @param channel the channel of the digest
	 * @param circuitBreaker the circuit breaker's name
	 * @param instance the replica's instance id
	 * @return completes once written
	 */
	Mono<Void> leave(String channel, String circuitBreaker, String instance);

	/**
	 * Take or renew the channel's lease for a replica, say it is alive and how many messages it owes the channel, and
	 * tell it whether to flush now (it holds the lease, a storm is under way, and the last flush was at least an
	 * interval ago, on the store's clock) and how many messages the other live replicas owe the channel.
	 * @param channel the channel of the digest
	 * @param instance the replica's instance id
	 * @param lease how long the lease lasts unless renewed, and how long a replica's heartbeat and owed messages count
	 * @param interval how often the digest is flushed
	 * @param owed the messages this replica owes the channel
	 * @return the turn
	 */
	Mono<Turn> turn(String channel, String instance, Duration lease, Duration interval, int owed);

	/**
	 * Give back the channel's lease, if this replica holds it: it stops.
	 * @param channel the channel of the digest
	 * @param instance the replica's instance id
	 * @return completes once given back
	 */
	Mono<Void> release(String channel, String instance);

	/**
	 * Read the channel's digest: its root, every entry in the order they joined, and which replicas are alive.
	 * @param channel the channel of the digest
	 * @return the ledger
	 */
	Mono<Ledger> read(String channel);

	/**
	 * Record what a flush told: the root it posted, and the versions it told. A version changed meanwhile stays
	 * pending. Once every entry is told recovered and nothing is pending, the storm is over and the digest is gone.
	 * @param channel the channel of the digest
	 * @param told what was told
	 * @return completes once recorded
	 */
	Mono<Void> told(String channel, Told told);

	/**
	 * A replica's turn at a channel's digest.
	 * @param flush whether this replica flushes now
	 * @param held whether this replica holds the lease
	 * @param storm whether the channel has a storm digest under way in the fleet
	 * @param owedElsewhere how many messages the other live replicas owe the channel
	 */
	record Turn(boolean flush, boolean held, boolean storm, int owedElsewhere) {

	}

	/**
	 * What the digest has told of a breaker.
	 */
	enum Mark {

		/** Nothing yet. */
		NONE,

		/** That it opened: it is listed on the root. */
		OPENED,

		/** That it recovered. */
		RECOVERED,

		/** Nothing, ever: it has a thread of its own, started before the storm was known, where it is told. */
		ELSEWHERE

	}

	/**
	 * One circuit breaker of a storm.
	 * @param circuitBreaker the circuit breaker's name
	 * @param version the version of its change not told yet, {@code 0} when nothing is pending
	 * @param mark what the digest has told of it
	 * @param members the state of each replica it was appended from, by instance id
	 */
	record Entry(String circuitBreaker, long version, Mark mark, Map<String, State> members) {

		public Entry {
			Objects.requireNonNull(circuitBreaker, "circuitBreaker must not be null");
			mark = (mark != null) ? mark : Mark.NONE;
			members = Map.copyOf(members);
		}

		/**
		 * Whether a change of this breaker waits to be told.
		 * @return whether a version is pending
		 */
		public boolean pending() {
			return this.version > 0;
		}

		/**
		 * The replicas this breaker is failing on, among those alive.
		 * @param alive whether a replica is alive
		 * @return the failing members' states, by instance id
		 */
		public Map<String, State> failing(Predicate<String> alive) {
			Map<String, State> failing = new TreeMap<>();
			this.members.forEach((instance, state) -> {
				if (!ThreadRules.endsCycle(state) && alive.test(instance)) {
					failing.put(instance, state);
				}
			});
			return failing;
		}

	}

	/**
	 * A channel's storm digest as the flusher reads it.
	 * @param rootChannel the channel ID of the posted root, or {@code null} while there is none
	 * @param rootTs the posted root's {@code ts}, or {@code null} while there is none
	 * @param entries every breaker of the storm, in the order they joined
	 * @param heartbeats when each replica last took its turn, on the store's clock
	 * @param now the store's time
	 */
	record Ledger(String rootChannel, String rootTs, List<Entry> entries, Map<String, Instant> heartbeats,
			Instant now) {

		public Ledger {
			entries = List.copyOf(entries);
			heartbeats = Map.copyOf(heartbeats);
		}

	}

	/**
	 * What a flush told.
	 * @param rootChannel the channel ID of the root it posted, or {@code null} when it posted none
	 * @param rootTs the {@code ts} of the root it posted, or {@code null}
	 * @param told each breaker's version told, and what it now says of it
	 */
	record Told(String rootChannel, String rootTs, List<Version> told) {

		public Told {
			told = List.copyOf(told);
		}

	}

	/**
	 * A breaker's version told.
	 * @param circuitBreaker the circuit breaker's name
	 * @param version the version read
	 * @param mark what the digest now says of it
	 */
	record Version(String circuitBreaker, long version, Mark mark) {

	}

}
