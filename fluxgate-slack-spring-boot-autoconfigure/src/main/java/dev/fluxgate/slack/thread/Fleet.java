package dev.fluxgate.slack.thread;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * Who shares a failure cycle's thread when several replicas of a service keep their threads in one store: the
 * replicas in the cycle, each with its breaker's last state and its last heartbeat, and, while the root is still being
 * posted, the replica that claimed the cycle and until when its claim holds.
 *
 * @param members the replicas in the cycle, by instance id
 * @param claimedBy the replica posting the root, or {@code null} once the root is posted
 * @param claimUntil when that claim lapses unless renewed, or {@code null}
 */
public record Fleet(Map<String, Member> members, String claimedBy, Instant claimUntil) {

	/** A thread of one process, shared with nobody. */
	public static final Fleet NONE = new Fleet(Map.of(), null, null);

	public Fleet {
		members = Collections.unmodifiableMap(new TreeMap<>(members));
	}

	/**
	 * Return a claim of a new cycle by one replica.
	 * @param instance the replica's instance id
	 * @param until when the claim lapses unless renewed
	 * @return the claim
	 */
	public static Fleet claim(String instance, Instant until) {
		return new Fleet(Map.of(), instance, until);
	}

	/**
	 * Whether the root is still being posted by the replica that claimed the cycle.
	 * @return whether this is a pending claim
	 */
	public boolean isClaim() {
		return this.claimedBy != null;
	}

	/**
	 * Return the fleet with one replica in the cycle at the given state.
	 * @param instance the replica's instance id
	 * @param state its breaker's state
	 * @param now its heartbeat
	 * @return the fleet after it joined or moved, with no claim
	 */
	public Fleet with(String instance, State state, Instant now) {
		Map<String, Member> next = new TreeMap<>(this.members);
		next.put(instance, new Member(state, now));
		return new Fleet(next, null, null);
	}

	/**
	 * Return the fleet without one replica.
	 * @param instance the replica's instance id
	 * @return the fleet after it left
	 */
	public Fleet without(String instance) {
		Map<String, Member> next = new TreeMap<>(this.members);
		next.remove(instance);
		return new Fleet(next, this.claimedBy, this.claimUntil);
	}

	/**
	 * Return the members that reported within the given time.
	 * @param now the current time
	 * @param silence how long a member may stay silent before it counts as gone
	 * @return the live members, by instance id
	 */
	public Map<String, Member> live(Instant now, Duration silence) {
		return this.members.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().heartbeat().plus(silence).isBefore(now))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
	}

	/**
	 * One replica in a failure cycle.
	 *
	 * @param state its breaker's last state
	 * @param heartbeat when it last reported
	 */
	public record Member(State state, Instant heartbeat) {

	}

}
