package dev.fluxgate.slack.autoconfigure;

/**
 * How the listener delivers: {@code fluxgate.slack.mode}.
 */
enum Mode {

	/** The caller never waits; messages go through per-breaker lanes. The default. */
	ASYNC,

	/** The caller waits for its own message, within {@code fluxgate.slack.timeout}. */
	SYNC;

	/**
	 * Read the property's value, in any case.
	 * @param value the value
	 * @return the mode, or {@code null} when the value names none
	 */
	static Mode of(String value) {
		for (Mode mode : values()) {
			if (mode.name().equalsIgnoreCase(value)) {
				return mode;
			}
		}
		return null;
	}

}
