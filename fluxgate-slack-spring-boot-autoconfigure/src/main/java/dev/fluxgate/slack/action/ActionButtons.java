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
 * Each button's {@code value} is the breaker state it was drawn for and when the thread came into it, such as
 * {@code OPEN@2026-12-07T10:00:00.123456Z}. A click is stale when the thread has left that state since, even to come back to it
 * (a re-trip), or when its action is no longer offered (someone acknowledged or silenced meanwhile). Not the time of
 * the last transition: in a fleet several replicas tell the same change at once and their edits of the root reach
 * Slack in any order, and a transition into the same state does not move when the thread came into it, so every one
 * of those edits carries the same value.
 */
public final class ActionButtons {

	/** The {@code block_id} of the buttons' block. */
	public static final String BLOCK_ID = "fluxgate_actions";

	private ActionButtons() {
	}

	/**
	 * Return the value the buttons of a thread in a state carry.
	 * @param state the breaker's state after the thread's last transition
	 * @param since when the thread came into that state
	 * @return the value
	 */
	public static String value(State state, Instant since) {
		return state.name() + "@" + since;
	}

	/**
	 * Return the blocks that end a root: who acknowledged and silenced it, and its buttons.
	 * @param circuitBreaker the circuit breaker's name, for the confirmation dialogs
	 * @param state the breaker's state after the thread's last transition
	 * @param since when the thread came into that state
	 * @param marks the thread's marks
	 * @param now the time, to tell whether a silence still holds
	 * @return the blocks
	 */
	public static List<Block> blocks(String circuitBreaker, State state, Instant since, ThreadMarks marks,
			Instant now) {
		List<Block> blocks = new ArrayList<>(2);
		String status = status(marks, now);
		if (!status.isEmpty()) {
			blocks.add(Block.context(status));
		}
		blocks.add(Block.actions(BLOCK_ID, buttons(circuitBreaker, state, value(state, since), marks, now)));
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

	private static List<Button> buttons(String circuitBreaker, State state, String value, ThreadMarks marks,
			Instant now) {
		String name = SlackText.truncate(circuitBreaker, 120);
		List<Button> buttons = new ArrayList<>(6);
		buttons.add((marks.acknowledgedBy() == null) ? button(BreakerAction.ACKNOWLEDGE, value, "primary", null)
				: button(BreakerAction.UNACKNOWLEDGE, value, null, null));
		if (marks.isSilencedAt(now)) {
			buttons.add(button(BreakerAction.UNSILENCE, value, null, null));
		}
		else {
			buttons.add(button(BreakerAction.SILENCE_30_MINUTES, value, null, null));
			buttons.add(button(BreakerAction.SILENCE_2_HOURS, value, null, null));
			buttons.add(button(BreakerAction.SILENCE_UNTIL_RECOVERED, value, null, null));
		}
		if (state != State.FORCED_OPEN) {
			buttons.add(button(BreakerAction.FORCE_OPEN, value, "danger", Confirm.danger("Force open?",
					"Force " + name + " open on every instance: every call is refused until someone "
							+ "closes it.",
					"Force open")));
		}
		if (state == State.FORCED_OPEN) {
			buttons.add(button(BreakerAction.CLOSE, value, "danger", Confirm.danger("Close?",
					"Close " + name + " on every instance: calls go through again.", "Close")));
		}
		else if (state == State.OPEN || state == State.HALF_OPEN) {
			buttons.add(button(BreakerAction.RESET, value, "danger", Confirm.danger("Reset?",
					"Reset " + name + " on every instance: it closes and forgets its failures.",
					"Reset")));
		}
		return buttons;
	}

	private static Button button(BreakerAction action, String value, String style, Confirm confirm) {
		return Button.of(action.label(), action.actionId(), value, style, confirm);
	}

}
