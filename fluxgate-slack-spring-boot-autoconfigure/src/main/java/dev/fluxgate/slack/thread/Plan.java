package dev.fluxgate.slack.thread;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * How one message is posted, decided against the thread store before it is sent.
 *
 * @param step how the thread rules post it
 * @param open the thread it is posted in, or {@code null} for a top-level message
 * @param after the thread as this message leaves it, {@code null} when it ends it; with a fleet, the replicas still
 * in the cycle
 * @param fleet the state of each live replica in the cycle after this message, by instance id in order; empty for a
 * thread of one process
 */
public record Plan(ThreadRules.Step step, SlackThread open, SlackThread after, Map<String, State> fleet) {

	public Plan {
		fleet = Collections.unmodifiableMap(new TreeMap<>(fleet));
	}

	/**
	 * Return the plan of one process's thread rules.
	 * @param to the state entered
	 * @param open the breaker's open thread, or {@code null}
	 * @return the plan
	 */
	public static Plan of(State to, SlackThread open) {
		ThreadRules.Step step = ThreadRules.next(to, open);
		return new Plan(step, open, step.endsThread() ? null : open, Map.of());
	}

	/**
	 * Whether the message leaves the cycle while other replicas are still in it: a plain reply, not a recovery.
	 * @return whether others are still failing
	 */
	public boolean leavesOthersFailing() {
		return this.step.isReply() && !this.step.endsThread() && this.after != null
				&& ThreadRules.endsCycle(this.after.state()) && !this.fleet.isEmpty();
	}

}
