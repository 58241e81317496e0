package dev.fluxgate.slack.action;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.fluxgate.slack.client.ChatPostMessage.Block;
import dev.fluxgate.slack.client.ChatPostMessage.Button;
import dev.fluxgate.slack.client.ChatPostMessage.Confirm;
import dev.fluxgate.slack.message.SlackText;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * The buttons of a thread's root, drawn for the breaker's current state and the thread's marks.
 * <p>
 * Each button's {@code value} is the version it was drawn at: the time of the thread's last transition, in epoch
 * milliseconds. A click whose version is not the thread's is stale.
 */
public final class ActionButtons {

	/** The {@code block_id} of the buttons' block. */
	public static final String BLOCK_ID = "fluxgate_actions";

	private ActionButtons() {
	}

	/**
	 * Return the version a thread's buttons carry.
	 * @param lastTransitionAt the time of the thread's last transition
	 * @return the version
	 */
	public static String version(Instant lastTransitionAt) {
		return Long.toString(lastTransitionAt.toEpochMilli());
	}

	/**
	 * Return the blocks that end a root: who acknowledged and silenced it, and its buttons.
	 * @param circuitBreaker the circuit breaker's name, for the confirmation dialogs
	 * @param state the breaker's state after the thread's last transition
	 * @param marks the thread's marks
	 * @param version the version the buttons carry
	 * @param now the time, to tell whether a silence still holds
	 * @return the blocks
	 */
	public static List<Block> blocks(String circuitBreaker, State state, ThreadMarks marks, String version,
			Instant now) {
		List<Block> blocks = new ArrayList<>(2);
		String status = status(marks, now);
		if (!status.isEmpty()) {
			blocks.add(Block.context(status));
		}
		blocks.add(Block.actions(BLOCK_ID, buttons(circuitBreaker, state, marks, version, now)));
		return blocks;
	}

	/**
	 * Return who acknowledged and silenced a thread, as mrkdwn.
	 * @param marks the thread's marks
	 * @param now the time
	 * @return such as "Acknowledged by <@U123>", or empty
	 */
	public static String status(ThreadMarks marks, Instant now) {
		List<String> parts = new ArrayList<>(2);
		if (marks.acknowledgedBy() != null) {
			parts.add("Acknowledged by <@" + marks.acknowledgedBy() + ">");
		}
		if (marks.isSilencedAt(now)) {
			parts.add("Silenced by <@" + marks.silencedBy() + "> " + until(marks.silencedUntil()));
		}
		return String.join(" · ", parts);
	}

	static String until(Instant until) {
		if (ThreadMarks.UNTIL_RECOVERED.equals(until)) {
			return "until it recovers";
		}
		return "until <!date^" + until.getEpochSecond() + "^{time}|" + until + ">";
	}

	private static List<Button> buttons(String circuitBreaker, State state, ThreadMarks marks, String version,
			Instant now) {
		String name = SlackText.truncate(circuitBreaker, 120);
		List<Button> buttons = new ArrayList<>(6);
		buttons.add((marks.acknowledgedBy() == null) ? button(BreakerAction.ACKNOWLEDGE, version, "primary", null)
				: button(BreakerAction.UNACKNOWLEDGE, version, null, null));
		if (marks.isSilencedAt(now)) {
			buttons.add(button(BreakerAction.UNSILENCE, version, null, null));
		}
		else {
			buttons.add(button(BreakerAction.SILENCE_30_MINUTES, version, null, null));
			buttons.add(button(BreakerAction.SILENCE_2_HOURS, version, null, null));
			buttons.add(button(BreakerAction.SILENCE_UNTIL_RECOVERED, version, null, null));
		}
		if (state != State.FORCED_OPEN) {
			buttons.add(button(BreakerAction.FORCE_OPEN, version, "danger", Confirm.danger("Force open?",
					"Force " + name + " open on every instance: every call is refused until someone "
							+ "closes it.",
					"Force open")));
		}
		if (state == State.FORCED_OPEN) {
			buttons.add(button(BreakerAction.CLOSE, version, "danger", Confirm.danger("Close?",
					"Close " + name + " on every instance: calls go through again.", "Close")));
		}
		else if (state == State.OPEN || state == State.HALF_OPEN) {
			buttons.add(button(BreakerAction.RESET, version, "danger", Confirm.danger("Reset?",
					"Reset " + name + " on every instance: it closes and forgets its failures.",
					"Reset")));
		}
		return buttons;
	}

	private static Button button(BreakerAction action, String version, String style, Confirm confirm) {
		return Button.of(action.label(), action.actionId(), version, style, confirm);
	}

}
