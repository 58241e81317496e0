package dev.fluxgate.slack.thread;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
	 * Return the fleet with one replica in the cycle at the given state, its heartbeat to be stamped by the store
	 * when it is written.
	 * @param instance the replica's instance id
	 * @param state its breaker's state
	 * @return the fleet after it joined or moved, with no claim
	 */
	public Fleet with(String instance, State state) {
		Map<String, Member> next = new TreeMap<>(this.members);
		next.put(instance, new Member(state, null));
		return new Fleet(next, null, null);
	}

	/**
	 * Return the claim with one more replica in its cycle: one whose trip waits its turn while another replica posts
	 * the root. The claim stays; the root's poster keeps the member.
	 * @param instance the replica's instance id
	 * @param state its breaker's state
	 * @return the fleet after it joined, still claimed
	 */
	public Fleet joiningClaim(String instance, State state) {
		Map<String, Member> next = new TreeMap<>(this.members);
		next.put(instance, new Member(state, null));
		return new Fleet(next, this.claimedBy, this.claimUntil);
	}

	/**
	 * Return the latest sign of life of the cycle on the store's clock: its members' latest heartbeat, or, while it is
	 * claimed, when the claim lapses.
	 * @return the latest sign of life, empty when there is none
	 */
	public Optional<Instant> lastSignOfLife() {
		if (isClaim()) {
			return Optional.ofNullable(this.claimUntil);
		}
		return this.members.values()
			.stream()
			.map(Member::heartbeat)
			.filter(Objects::nonNull)
			.max(Instant::compareTo);
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
			.filter((entry) -> entry.getValue().heartbeat() == null
					|| !entry.getValue().heartbeat().plus(silence).isBefore(now))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
	}

	/**
	 * Return the fleet a store holds after a write: what it held, with the changes from {@code expected} to this
	 * fleet applied. A member whose heartbeat is {@code null} here is stamped with the store's time, one missing here
	 * leaves, and any other keeps what the store holds. The claim is this fleet's.
	 * @param expected the fleet the writer read
	 * @param held the fleet the store holds
	 * @param now the store's time
	 * @return the fleet to keep
	 */
	public Fleet writtenOver(Fleet expected, Fleet held, Instant now) {
		Map<String, Member> next = new TreeMap<>(held.members);
		expected.members.keySet().forEach((instance) -> {
			if (!this.members.containsKey(instance)) {
				next.remove(instance);
			}
		});
		this.members.forEach((instance, member) -> {
			if (member.heartbeat() == null) {
				next.put(instance, new Member(member.state(), now));
			}
			else if (!held.members.containsKey(instance) || !member.equals(expected.members.get(instance))) {
				next.put(instance, member);
			}
		});
		return new Fleet(next, this.claimedBy, this.claimUntil);
	}

	/**
	 * One replica in a failure cycle.
	 *
	 * @param state its breaker's last state
	 * @param heartbeat when it last reported, on the store's clock; {@code null} in a thread about to be written,
	 * for the store to stamp
	 */
	public record Member(State state, Instant heartbeat) {

	}

}
