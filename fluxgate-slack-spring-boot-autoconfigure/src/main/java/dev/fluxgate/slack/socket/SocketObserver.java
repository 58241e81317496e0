package dev.fluxgate.slack.socket;

/**
 * Watches a {@link SocketModeClient}, for metrics such as reconnects and envelopes by type. Every method does nothing
 * by default; what a method throws is logged and ignored.
 */
public interface SocketObserver {

	/** An observer that does nothing. */
	SocketObserver NONE = new SocketObserver() {
	};

	/**
	 * The client's state changed.
	 * @param state the new state
	 */
	default void stateChanged(SocketState state) {
	}

	/**
	 * The client is opening another connection.
	 * @param reason why: {@code warning}, {@code refresh_requested}, {@code too_many_websockets}, {@code idle},
	 * {@code closed} or {@code connect_failed}
	 */
	default void reconnecting(String reason) {
	}

	/**
	 * An envelope arrived and was acknowledged.
	 * @param type the envelope's type, such as {@code interactive}
	 */
	default void envelope(String type) {
	}

}
