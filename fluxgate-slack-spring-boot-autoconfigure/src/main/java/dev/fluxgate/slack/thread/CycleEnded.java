package dev.fluxgate.slack.thread;

/**
 * A failure cycle shared by replicas that ended without a recovery message of its own: none of its members is left
 * to tell one.
 *
 * @param thread the thread as it was last stored
 * @param lastInstance the member that reported last, or {@code null} when none is known
 * @param reason why it ended
 */
public record CycleEnded(SlackThread thread, String lastInstance, Reason reason) {

	/**
	 * Why a shared failure cycle ended without a recovery.
	 */
	public enum Reason {

		/** Its last member stopped renewing its heartbeat. */
		STOPPED_REPORTING,

		/** Its last member restarted, its breaker closed. */
		RESTARTED,

		/** Its last member's breaker closed while the store could not record it. */
		LEFT,

		/** Its last member's breaker left that replica's registry. */
		REMOVED

	}

}
