package dev.fluxgate.slack.delivery;

import dev.fluxgate.slack.thread.SlackThread;

/**
 * Which threads' replies are held back, because someone silenced them from Slack. A thread's recovery is always told.
 */
@FunctionalInterface
public interface Silences {

	/** No thread is silenced. */
	Silences NONE = (thread) -> false;

	/**
	 * Whether a thread's replies are held back now.
	 * @param thread the breaker's open thread
	 * @return whether its next reply, unless it ends the cycle, is held back
	 */
	boolean silenced(SlackThread thread);

}
