package dev.fluxgate.slack.action;

import java.time.Duration;
import java.util.Objects;

/**
 * How a listener lets people act on its breakers from Slack.
 *
 * @param authorizer who may act
 * @param store where the actions are kept and told to every replica
 * @param observer told what became of each click
 * @param reconcileInterval how often a replica reconciles its breakers and marks with the store, in case it missed
 * an action
 * @param mention whom the re-trips of a cycle nobody acknowledged mention, such as {@code <!here>}, or {@code null}
 */
public record ActionSettings(ActionAuthorizer authorizer, ActionStore store, ActionObserver observer,
		Duration reconcileInterval, String mention) {

	/** How often a replica reconciles by default. */
	public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(30);

	public ActionSettings {
		Objects.requireNonNull(authorizer, "authorizer must not be null");
		Objects.requireNonNull(store, "store must not be null");
		observer = (observer != null) ? observer : ActionObserver.NONE;
		reconcileInterval = (reconcileInterval != null) ? reconcileInterval : DEFAULT_RECONCILE_INTERVAL;
	}

	/**
	 * Return settings with an authorizer and a store, no observer and the default reconcile interval.
	 * @param authorizer who may act
	 * @param store where the actions are kept
	 * @return the settings
	 */
	public static ActionSettings of(ActionAuthorizer authorizer, ActionStore store) {
		return new ActionSettings(authorizer, store, null, null, null);
	}

}
