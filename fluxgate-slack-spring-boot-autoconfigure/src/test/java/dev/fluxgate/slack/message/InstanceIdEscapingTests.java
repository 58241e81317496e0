package dev.fluxgate.slack.message;

import java.time.Instant;
import java.util.Map;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadRules;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance id is a name, not mrkdwn: one such as {@code <!channel>} is shown, never pings, wherever a message
 * names a replica.
 */
class InstanceIdEscapingTests {

	private static final String MENTION = "<!channel>";

	private static final String ESCAPED = "&lt;!channel&gt;";

	private static final TransitionSnapshot TRIP = new TransitionSnapshot("payment",
			Transition.of(State.CLOSED, State.OPEN), Instant.parse("2026-11-28T10:00:00Z"));

	private final SlackThread thread = SlackThread.started(TRIP, "C1", "1700000000.000100");

	@Test
	void instanceFieldShowsAMentionLikeIdAsText() {
		ChatPostMessage message = new DefaultMessageRenderer(null, MENTION).render(TRIP,
				Templates.defaults().forTransition(TRIP.transition()), "C1",
				new ThreadRules.Step(null, false, true, false), null, null);
		assertThat(String.valueOf(message.attachments())).contains("*Instance:*\n" + ESCAPED).doesNotContain(MENTION);
	}

	@Test
	void replicasStillFailingAreNamedAsText() {
		ChatPostMessage leave = new DefaultMessageRenderer(null, "pod-a").render(TRIP,
				Templates.defaults().forTransition(TRIP.transition()), "C1",
				new ThreadRules.Step(this.thread.threadTs(), false, false, false), this.thread, null,
				Map.of(MENTION, State.OPEN));
		assertThat(String.valueOf(leave.attachments())).contains(ESCAPED + " (OPEN)").doesNotContain(MENTION);
	}

	@Test
	void cycleEndedReplyNamesItsLastInstanceAsText() {
		ChatPostMessage ended = new DefaultMessageRenderer(null, "pod-a").renderCycleEnded(this.thread,
				"its last instance, " + MENTION + ", stopped reporting", "#36a64f");
		assertThat(ended.text()).contains(ESCAPED).doesNotContain(MENTION);
		assertThat(String.valueOf(ended.attachments())).contains(ESCAPED).doesNotContain(MENTION);
	}

	@Test
	void rootEditOfAnEndedCycleNamesItsLastInstanceAsText() {
		ChatUpdate edit = new DefaultMessageRenderer(null, "pod-a").renderRootUpdate(this.thread,
				Templates.defaults().forTransition(TRIP.transition()),
				"ended: its last instance, " + MENTION + ", stopped reporting", "#36a64f");
		assertThat(edit.text()).contains(ESCAPED).doesNotContain(MENTION);
		assertThat(String.valueOf(edit.attachments())).contains(ESCAPED).doesNotContain(MENTION);
	}

}
