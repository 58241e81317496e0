package dev.fluxgate.slack.thread;

import java.util.EnumSet;
import java.util.Set;

import dev.fluxgate.slack.event.Transition;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * The thread rules of the fluxgate Slack listener: which message starts, continues or ends a failure cycle's thread.
 * As the seed states them: a thread starts on a transition into OPEN, and ends on one into CLOSED, DISABLED or
 * METRICS_ONLY.
 */
public final class ThreadRules {

	private static final Set<State> ENDING = EnumSet.of(State.CLOSED, State.DISABLED, State.METRICS_ONLY);

	private ThreadRules() {
	}

	/**
	 * Whether a transition into the given state ends a failure cycle.
	 * @param to the state entered
	 * @return whether it is CLOSED, DISABLED or METRICS_ONLY
	 */
	public static boolean endsCycle(State to) {
		return ENDING.contains(to);
	}

	/**
	 * Whether a transition starts a failure cycle: into OPEN from a state that ends one.
	 * @param transition the transition
	 * @return whether the breaker trips
	 */
	public static boolean trips(Transition transition) {
		return transition.to() == State.OPEN && ENDING.contains(transition.from());
	}

	/**
	 * Decide how to post a transition into the given state. With an open thread the message replies in it, broadcast
	 * when it tells CLOSED, and ends the thread when it enters CLOSED, DISABLED or METRICS_ONLY; into FORCED_OPEN keeps
	 * it. Without one the message is top-level, and only a transition into OPEN starts a thread: also after a root
	 * that could not be delivered, the next transition into OPEN posts a new root.
	 * @param to the state entered
	 * @param open the breaker's open thread, or {@code null}
	 * @return the step to take
	 */
	public static Step next(State to, SlackThread open) {
		boolean ends = ENDING.contains(to);
		if (open != null) {
			return new Step(open.threadTs(), to == State.CLOSED, false, ends);
		}
		return new Step(null, false, to == State.OPEN, ends);
	}

	/**
	 * How one message is posted.
	 *
	 * @param threadTs the {@code thread_ts} to reply to, or {@code null} for a top-level message
	 * @param broadcast whether the reply is also sent to the channel
	 * @param startsThread whether the message, once delivered, becomes the root of the breaker's thread
	 * @param endsThread whether the breaker's thread ends after this message, delivered or not
	 */
	public record Step(String threadTs, boolean broadcast, boolean startsThread, boolean endsThread) {

		/**
		 * Whether the message is a reply in an open thread.
		 * @return whether it carries a {@code thread_ts}
		 */
		public boolean isReply() {
			return this.threadTs != null;
		}

	}

}
