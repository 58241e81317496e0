package dev.fluxgate.slack.action;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a button on a thread's root does. Each constant's {@link #actionId()} is the Block Kit {@code action_id} of its
 * button.
 */
public enum BreakerAction {

	/** The root shows who acknowledged; later re-trips of the cycle mention nobody. */
	ACKNOWLEDGE("fluxgate_acknowledge", "Acknowledge"),

	/** Undo {@link #ACKNOWLEDGE}. */
	UNACKNOWLEDGE("fluxgate_unacknowledge", "Unacknowledge"),

	/** No replies for 30 minutes, except the recovery. */
	SILENCE_30_MINUTES("fluxgate_silence_30m", "Silence 30 min"),

	/** No replies for 2 hours, except the recovery. */
	SILENCE_2_HOURS("fluxgate_silence_2h", "Silence 2 h"),

	/** No replies until the breaker recovers. */
	SILENCE_UNTIL_RECOVERED("fluxgate_silence_recovered", "Silence until recovered"),

	/** Undo a silence. */
	UNSILENCE("fluxgate_unsilence", "Unsilence"),

	/** {@code transitionToForcedOpenState()} on every replica. */
	FORCE_OPEN("fluxgate_force_open", "Force open"),

	/** {@code transitionToClosedState()} on every replica, after {@link #FORCE_OPEN}. */
	CLOSE("fluxgate_close", "Close"),

	/** {@code reset()} on every replica. */
	RESET("fluxgate_reset", "Reset");

	private final String actionId;

	private final String label;

	BreakerAction(String actionId, String label) {
		this.actionId = actionId;
		this.label = label;
	}

	/**
	 * Return the Block Kit {@code action_id} of this action's button.
	 * @return the action id
	 */
	public String actionId() {
		return this.actionId;
	}

	/**
	 * Return the words on this action's button.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Whether this action changes the circuit breaker itself, on every replica.
	 * @return whether it is a transition of the breaker
	 */
	public boolean transitionsBreaker() {
		return this == FORCE_OPEN || this == CLOSE || this == RESET;
	}

	/**
	 * Find the action of a Block Kit {@code action_id}.
	 * @param actionId the action id
	 * @return the action, or empty for an id that is not ours
	 */
	public static Optional<BreakerAction> ofActionId(String actionId) {
		return Arrays.stream(values()).filter((action) -> action.actionId.equals(actionId)).findFirst();
	}

}
