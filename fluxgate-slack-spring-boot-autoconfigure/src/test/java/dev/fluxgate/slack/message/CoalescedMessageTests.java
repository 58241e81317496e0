package dev.fluxgate.slack.message;

import java.time.Instant;
import java.util.List;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.ThreadRules;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A coalesced reply is worded from the coalesced template, and takes the colour of its last transition's template.
 */
class CoalescedMessageTests {

	private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

	private final DefaultMessageRenderer renderer = new DefaultMessageRenderer();

	private final List<TransitionSnapshot> flaps = List.of(snapshot(State.OPEN, State.HALF_OPEN),
			snapshot(State.HALF_OPEN, State.OPEN), snapshot(State.OPEN, State.HALF_OPEN),
			snapshot(State.HALF_OPEN, State.OPEN));

	private final ThreadRules.Step reply = new ThreadRules.Step("1700000000.000100", false, false, false);

	private final Template reTriggered = Templates.defaults()
		.forTransition(Transition.of(State.HALF_OPEN, State.OPEN));

	@Test
	void theDefaultWordingTellsHowManyTransitionsAndTheStateNow() {
		ChatPostMessage message = this.renderer.renderCoalesced(this.flaps, this.reTriggered,
				Templates.defaults().coalesced(), "C1", this.reply);
		assertThat(message.text()).isEqualTo("🔁 4 transitions (OPEN ⇄ HALF_OPEN) — now OPEN: payment");
		assertThat(message.attachments().get(0).color()).isEqualTo(this.reTriggered.color());
		assertThat(message.threadTs()).isEqualTo("1700000000.000100");
	}

	@Test
	void aCoalescedTemplateWordsTheReply() {
		Template korean = new Template("🔁 {name}: 상태 변경 {count}회 ({states}) — 현재 {to}", "#123456",
				"{from}에서 시작해 마지막 전환은 {transition}입니다.");
		ChatPostMessage message = this.renderer.renderCoalesced(this.flaps, this.reTriggered, korean, "C1", this.reply);
		assertThat(message.text()).startsWith("🔁 payment: 상태 변경 4회 (OPEN ⇄ HALF_OPEN) — 현재 OPEN");
		assertThat(message.attachments().get(0).color()).as("the last transition's colour")
			.isEqualTo(this.reTriggered.color());
		assertThat(message.attachments().get(0).blocks().toString())
			.contains("OPEN에서 시작해 마지막 전환은 HALF_OPEN → OPEN입니다.");
	}

	private static TransitionSnapshot snapshot(State from, State to) {
		return new TransitionSnapshot("payment", Transition.of(from, to), AT);
	}

}
