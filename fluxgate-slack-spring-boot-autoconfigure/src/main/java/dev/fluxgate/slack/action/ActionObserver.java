package dev.fluxgate.slack.action;

/**
 * Told what became of each click on a thread's buttons, for metrics.
 */
public interface ActionObserver {

	/** Tells nobody. */
	ActionObserver NONE = new ActionObserver() {
	};

	/**
	 * A click was handled.
	 * @param action the button's action
	 * @param outcome what became of it
	 */
	default void clicked(BreakerAction action, Outcome outcome) {
	}

	/**
	 * What became of a click.
	 */
	enum Outcome {

		/** The action was applied. */
		APPLIED,

		/** The user, their workspace or their app may not act. */
		DENIED,

		/** The cycle ended, or the breaker changed, since the button was drawn. */
		STALE,

		/** The action could not be applied. */
		FAILED;

		/**
		 * Return the outcome as a metric tag.
		 * @return such as {@code applied}
		 */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
