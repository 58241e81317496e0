package dev.fluxgate.slack.message;

import java.util.Map;

import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.SlackThread;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * What the edit of a thread's root tells, for a {@link MessageRenderer}.
 */
public sealed interface RootEdit {

	/**
	 * The root after a transition of its cycle.
	 * @param thread the thread, with its root transition
	 * @param rootTemplate the template the root was posted with
	 * @param latest the cycle's latest transition
	 * @param latestTemplate that transition's template, whose colour the root takes
	 * @param ended whether the cycle ended with it
	 * @param fleet the state of each replica in a shared cycle, by instance id; empty for one process
	 */
	record AfterTransition(SlackThread thread, Template rootTemplate, TransitionSnapshot latest,
			Template latestTemplate, boolean ended, Map<String, State> fleet) implements RootEdit {
	}

	/**
	 * The root of a shared cycle that ended without a transition: its replicas stopped reporting, left or restarted.
	 * @param thread the thread, with its root transition
	 * @param rootTemplate the template the root was posted with
	 * @param reason why it ended, as plain text
	 * @param color the attachment's colour
	 */
	record CycleEnded(SlackThread thread, Template rootTemplate, String reason, String color) implements RootEdit {
	}

}
