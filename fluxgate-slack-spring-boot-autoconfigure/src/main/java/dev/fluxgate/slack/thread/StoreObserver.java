package dev.fluxgate.slack.thread;

import java.time.Duration;

/**
 * Told how the shared thread store answers, for metrics and health. Called on the store's threads; must not block.
 */
public interface StoreObserver {

	/** An observer that does nothing. */
	StoreObserver NONE = new StoreObserver() {
	};

	/**
	 * The shared thread store failed or was too slow; the message is still delivered, planned on what this replica
	 * knows.
	 * @param operation the store operation, such as {@code find}
	 * @param cause why the store failed
	 */
	default void storeFellBack(String operation, Throwable cause) {
	}

	/**
	 * The shared thread store answered, or failed.
	 * @param operation the store operation, such as {@code find}
	 * @param took how long it took
	 * @param outcome {@code ok}, or the failure's simple class name
	 */
	default void storeRequested(String operation, Duration took, String outcome) {
	}

}
