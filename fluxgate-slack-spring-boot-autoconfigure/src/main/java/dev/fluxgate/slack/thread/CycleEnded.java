package dev.fluxgate.slack.thread;

/**
 * A failure cycle shared by replicas that ended because none of its members is left to end it.
 *
 * @param thread the thread as it was last stored
 * @param lastInstance the member that reported last
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
		RESTARTED

	}

}
