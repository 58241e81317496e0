package dev.fluxgate.slack.delivery;

import java.time.Duration;

import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.StoreObserver;

/**
 * Told what becomes of each message and how the shared thread store answers, for metrics and health. Called on the
 * listener's threads; must not block.
 */
public interface DeliveryObserver extends StoreObserver {

	/** An observer that does nothing. */
	DeliveryObserver NONE = new DeliveryObserver() {
	};

	/**
	 * Return an observer telling each of the given ones in turn.
	 * @param observers the observers
	 * @return one observer for all
	 */
	static DeliveryObserver of(java.util.List<? extends DeliveryObserver> observers) {
		java.util.List<DeliveryObserver> all = java.util.List.copyOf(observers);
		if (all.isEmpty()) {
			return NONE;
		}
		if (all.size() == 1) {
			return all.get(0);
		}
		return new DeliveryObserver() {

			@Override
			public void delivered(TransitionSnapshot snapshot, Duration took) {
				all.forEach((observer) -> observer.delivered(snapshot, took));
			}

			@Override
			public void failed(TransitionSnapshot snapshot, SlackApiException failure) {
				all.forEach((observer) -> observer.failed(snapshot, failure));
			}

			@Override
			public void retrying(TransitionSnapshot snapshot, SlackApiException failure) {
				all.forEach((observer) -> observer.retrying(snapshot, failure));
			}

			@Override
			public void requested(String method, Duration took, String outcome) {
				all.forEach((observer) -> observer.requested(method, took, outcome));
			}

			@Override
			public void dropped(TransitionSnapshot snapshot) {
				all.forEach((observer) -> observer.dropped(snapshot));
			}

			@Override
			public void digested(TransitionSnapshot snapshot) {
				all.forEach((observer) -> observer.digested(snapshot));
			}

			@Override
			public void coalesced(TransitionSnapshot snapshot) {
				all.forEach((observer) -> observer.coalesced(snapshot));
			}

			@Override
			public void silenced(TransitionSnapshot snapshot) {
				all.forEach((observer) -> observer.silenced(snapshot));
			}

			@Override
			public void storeFellBack(String operation, Throwable cause) {
				all.forEach((observer) -> observer.storeFellBack(operation, cause));
			}

			@Override
			public void storeRequested(String operation, Duration took, String outcome) {
				all.forEach((observer) -> observer.storeRequested(operation, took, outcome));
			}

		};
	}

	/**
	 * A message reached Slack.
	 * @param snapshot the transition it told
	 * @param took how long it took, retries included
	 */
	default void delivered(TransitionSnapshot snapshot, Duration took) {
	}

	/**
	 * A message could not be delivered and was given up.
	 * @param snapshot the transition it told
	 * @param failure why
	 */
	default void failed(TransitionSnapshot snapshot, SlackApiException failure) {
	}

	/**
	 * A message is tried again.
	 * @param snapshot the transition it tells
	 * @param failure why the last attempt failed
	 */
	default void retrying(TransitionSnapshot snapshot, SlackApiException failure) {
	}

	/**
	 * One call to Slack's Web API completed.
	 * @param method the API method, such as {@code chat.postMessage}
	 * @param took how long the call took
	 * @param outcome {@code ok}, or the error code
	 */
	default void requested(String method, Duration took, String outcome) {
	}

	/**
	 * A transition was told together with later ones of its breaker, in one message.
	 * @param snapshot the transition
	 */
	default void coalesced(TransitionSnapshot snapshot) {
	}

	/**
	 * A reply held back because someone silenced its thread from Slack.
	 * @param snapshot the transition
	 */
	default void silenced(TransitionSnapshot snapshot) {
	}

	/**
	 * A transition was told in a storm digest instead of a message of its own.
	 * @param snapshot the transition
	 */
	default void digested(TransitionSnapshot snapshot) {
	}

	/**
	 * A message was not even tried: the queue was full or the listener closed.
	 * @param snapshot the transition it would have told
	 */
	default void dropped(TransitionSnapshot snapshot) {
	}

}
