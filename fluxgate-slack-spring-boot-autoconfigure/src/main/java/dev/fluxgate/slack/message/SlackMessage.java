package dev.fluxgate.slack.message;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadRules;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * What one Slack message tells, for a {@link MessageRenderer}.
 */
public sealed interface SlackMessage {

	/**
	 * One transition.
	 * @param snapshot the transition
	 * @param template its template
	 * @param channel the channel ID
	 * @param step how the thread rules post it
	 * @param open the breaker's open thread, or {@code null}
	 * @param rootPermalink the link to the thread's root, or {@code null}
	 * @param stillFailing when this replica leaves a cycle others are still in: their states by instance id
	 * @param plainText whether to render text only, because Slack refused the message's blocks
	 */
	record OfTransition(TransitionSnapshot snapshot, Template template, String channel, ThreadRules.Step step,
			SlackThread open, String rootPermalink, Map<String, State> stillFailing,
			boolean plainText) implements SlackMessage {

		public OfTransition {
			Objects.requireNonNull(snapshot, "snapshot must not be null");
			stillFailing = (stillFailing != null) ? stillFailing : Map.of();
		}

		/**
		 * The same message as text only.
		 * @return the message
		 */
		public OfTransition asPlainText() {
			return new OfTransition(this.snapshot, this.template, this.channel, this.step, this.open,
					this.rootPermalink, this.stillFailing, true);
		}

	}

	/**
	 * Consecutive transitions of one breaker told in one reply.
	 * @param batch the transitions, oldest first
	 * @param template the last transition's template, whose colour the reply takes
	 * @param coalesced the template of the reply's title and description
	 * @param channel the channel ID
	 * @param step how the thread rules post the last transition
	 */
	record Coalesced(List<TransitionSnapshot> batch, Template template, Template coalesced, String channel,
			ThreadRules.Step step) implements SlackMessage {
	}

	/**
	 * The reply that ends a shared failure cycle none of whose replicas is left to end it.
	 * @param thread the thread
	 * @param reason why it ended, as plain text
	 * @param color the attachment's colour
	 */
	record CycleEnded(SlackThread thread, String reason, String color) implements SlackMessage {
	}

}
