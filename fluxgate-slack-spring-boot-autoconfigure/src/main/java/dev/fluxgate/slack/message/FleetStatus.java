package dev.fluxgate.slack.message;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * How the replicas of a shared failure cycle are worded: "OPEN on 3 instances", "HALF_OPEN on 1, OPEN on 2".
 */
final class FleetStatus {

	private FleetStatus() {
	}

	/**
	 * Return how many replicas are in each state.
	 * @param fleet the state of each replica, by instance id
	 * @return such as "OPEN on 3 instances" or "HALF_OPEN on 1, OPEN on 2"
	 */
	static String of(Map<String, State> fleet) {
		Map<String, Long> counts = fleet.values()
			.stream()
			.collect(Collectors.groupingBy(State::name, TreeMap::new, Collectors.counting()));
		if (counts.size() == 1) {
			Map.Entry<String, Long> only = counts.entrySet().iterator().next();
			return only.getKey() + " on " + instances(only.getValue());
		}
		return counts.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + " on " + entry.getValue())
			.collect(Collectors.joining(", "));
	}

	/**
	 * Whether a cycle's status tells the fleet rather than the latest state: when several replicas are in it, or the
	 * one left is not the replica whose transition this is.
	 * @param fleet the state of each replica, by instance id
	 * @param latest the state the latest transition entered
	 * @return whether to word the status by instance
	 */
	static boolean isShared(Map<String, State> fleet, State latest) {
		return fleet.size() > 1 || (fleet.size() == 1 && fleet.values().iterator().next() != latest);
	}

	/**
	 * Return who is still failing when one replica leaves a cycle.
	 * @param stillFailing the state of each replica still in the cycle, by instance id
	 * @return such as "Still failing on 2 instances: pod-b (OPEN), pod-c (HALF_OPEN)"
	 */
	static String stillFailing(Map<String, State> stillFailing) {
		return "*Still failing on " + instances(stillFailing.size()) + ":* " + stillFailing.entrySet()
			.stream()
			.map((entry) -> SlackText.escape(entry.getKey()) + " (" + entry.getValue() + ")")
			.collect(Collectors.joining(", "));
	}

	private static String instances(long count) {
		return count + ((count == 1) ? " instance" : " instances");
	}

}
