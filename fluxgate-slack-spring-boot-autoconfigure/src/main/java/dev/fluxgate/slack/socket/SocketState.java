package dev.fluxgate.slack.socket;

/**
 * The state of a Socket Mode connection, as the health indicator shows it.
 */
public enum SocketState {

	/** Not started yet. */
	STARTING,

	/** A connection said {@code hello}. */
	CONNECTED,

	/** No connection: one is being opened, possibly after a back-off. */
	RECONNECTING,

	/** Slack disabled the link ({@code link_disabled}); no connection is opened again. Alerts still flow. */
	DISABLED,

	/** Closed by the application. */
	STOPPED

}
