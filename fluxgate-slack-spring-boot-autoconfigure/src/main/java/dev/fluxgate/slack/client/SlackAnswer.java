package dev.fluxgate.slack.client;

/**
 * What every Slack Web API answer carries.
 */
public interface SlackAnswer {

	/**
	 * Whether the call succeeded.
	 * @return Slack's {@code ok}
	 */
	boolean ok();

	/**
	 * Slack's error code when the call failed.
	 * @return the error code, or {@code null}
	 */
	String error();

	/**
	 * A warning Slack adds to a successful call.
	 * @return the warning, or {@code null}
	 */
	String warning();

}
