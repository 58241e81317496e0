package dev.fluxgate.slack.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.Fleet;
import dev.fluxgate.slack.thread.SlackThread;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * A thread as the fields of a Redis hash: names, the root's {@code ts}, channel, times, states, the root's numbers
 * and the fleet: {@code member.{instance id}} holds a member's state and last heartbeat, in milliseconds on Redis's
 * clock, and {@code claimUntil} when a claim lapses, on the same clock. No token and no message payload is ever
 * written.
 */
final class ThreadFields {

	private static final String MEMBER = "member.";

	private ThreadFields() {
	}

	static Map<String, String> of(SlackThread thread) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("name", thread.circuitBreaker());
		fields.put("channel", thread.channel());
		if (thread.threadTs() != null) {
			fields.put("ts", thread.threadTs());
		}
		fields.put("state", thread.state().name());
		fields.put("openedAt", thread.openedAt().toString());
		fields.put("lastTransitionAt", thread.lastTransitionAt().toString());
		fields.put("stateSince", thread.stateSince().toString());
		fields.put("messages", String.valueOf(thread.messages()));
		fields.put("version", String.valueOf(thread.version()));
		TransitionSnapshot root = thread.root();
		if (root != null) {
			fields.put("root.from", root.transition().from().name());
			fields.put("root.to", root.transition().to().name());
			fields.put("root.time", root.time().toString());
			TransitionSnapshot.Numbers numbers = root.numbers();
			if (numbers != null) {
				fields.put("root.failureRate", String.valueOf(numbers.failureRate()));
				fields.put("root.failureRateThreshold", String.valueOf(numbers.failureRateThreshold()));
				fields.put("root.slowCallRate", String.valueOf(numbers.slowCallRate()));
				fields.put("root.slowCallRateThreshold", String.valueOf(numbers.slowCallRateThreshold()));
				fields.put("root.bufferedCalls", String.valueOf(numbers.bufferedCalls()));
				fields.put("root.failedCalls", String.valueOf(numbers.failedCalls()));
			}
		}
		Fleet fleet = thread.fleet();
		if (fleet.isClaim()) {
			fields.put("claimedBy", fleet.claimedBy());
			fields.put("claimUntil", String.valueOf(fleet.claimUntil().toEpochMilli()));
		}
		return fields;
	}

	/**
	 * Return the members a write changes, as instance, state pairs: every member of {@code next} whose heartbeat is
	 * to be stamped or that differs from {@code expected}, and an empty state for each member that left.
	 */
	static List<String> memberChanges(Fleet expected, Fleet next) {
		List<String> changes = new ArrayList<>();
		next.members().forEach((instance, member) -> {
			if (member.heartbeat() == null || !member.equals(expected.members().get(instance))) {
				changes.add(instance);
				changes.add(member.state().name());
			}
		});
		expected.members().keySet().forEach((instance) -> {
			if (!next.members().containsKey(instance)) {
				changes.add(instance);
				changes.add("");
			}
		});
		return changes;
	}

	/**
	 * Return a thread's claim as the scripts compare it, {@code claimedBy claimUntil}: empty once the root is posted.
	 */
	static String claim(SlackThread thread) {
		Fleet fleet = thread.fleet();
		return fleet.isClaim() ? fleet.claimedBy() + " " + fleet.claimUntil().toEpochMilli() : "";
	}

	/**
	 * Return a thread's root {@code ts} as the scripts compare it: empty for a pending claim.
	 */
	static String ts(SlackThread thread) {
		return (thread.threadTs() != null) ? thread.threadTs() : "";
	}

	private static Fleet fleet(Map<String, String> fields) {
		Map<String, Fleet.Member> members = new TreeMap<>();
		fields.forEach((field, value) -> {
			if (field.startsWith(MEMBER)) {
				int space = value.indexOf(' ');
				members.put(field.substring(MEMBER.length()), new Fleet.Member(
						State.valueOf(value.substring(0, space)), instant(value.substring(space + 1))));
			}
		});
		String claimedBy = fields.get("claimedBy");
		return new Fleet(members, claimedBy, (claimedBy != null) ? instant(fields.get("claimUntil")) : null);
	}

	/**
	 * Read a time on Redis's clock: milliseconds since the epoch.
	 */
	static Instant instant(String millis) {
		return Instant.ofEpochMilli(Long.parseLong(millis));
	}

	static List<String> flat(Map<String, String> fields) {
		List<String> flat = new ArrayList<>(fields.size() * 2);
		fields.forEach((name, value) -> {
			flat.add(name);
			flat.add(value);
		});
		return flat;
	}

	static SlackThread thread(Map<String, String> fields) {
		String name = fields.get("name");
		TransitionSnapshot root = null;
		if (fields.containsKey("root.from")) {
			TransitionSnapshot.Numbers numbers = fields.containsKey("root.failureRate")
					? new TransitionSnapshot.Numbers(Float.parseFloat(fields.get("root.failureRate")),
							Float.parseFloat(fields.get("root.failureRateThreshold")),
							Float.parseFloat(fields.get("root.slowCallRate")),
							Float.parseFloat(fields.get("root.slowCallRateThreshold")),
							Integer.parseInt(fields.get("root.bufferedCalls")),
							Integer.parseInt(fields.get("root.failedCalls")))
					: null;
			root = new TransitionSnapshot(name,
					Transition.of(State.valueOf(fields.get("root.from")), State.valueOf(fields.get("root.to"))),
					Instant.parse(fields.get("root.time")), numbers);
		}
		return new SlackThread(name, fields.get("channel"), fields.get("ts"), State.valueOf(fields.get("state")),
				Instant.parse(fields.get("openedAt")), Instant.parse(fields.get("lastTransitionAt")),
				Integer.parseInt(fields.get("messages")), root, Long.parseLong(fields.get("version")), fleet(fields),
				(fields.get("stateSince") != null) ? Instant.parse(fields.get("stateSince")) : null);
	}

}
