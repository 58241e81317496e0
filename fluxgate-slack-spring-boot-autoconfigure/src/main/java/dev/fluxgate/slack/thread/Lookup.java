package dev.fluxgate.slack.thread;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store answered when asked for a circuit breaker's thread: the thread, or none, and the store's own time
 * when it answered. Replicas judge liveness and claims on that time only, never on their own clocks. An error is
 * not a lookup: a store that cannot answer fails, and the caller knows it does not know.
 *
 * @param thread the thread, or {@code null} when the breaker has none
 * @param now the store's clock when it answered
 */
public record Lookup(SlackThread thread, Instant now) {

	public Lookup {
		Objects.requireNonNull(now, "now must not be null");
	}

	/**
	 * Whether the breaker has a thread.
	 * @return whether a thread was found
	 */
	public boolean found() {
		return this.thread != null;
	}

}
