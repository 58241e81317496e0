package dev.fluxgate.slack.message;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadRules;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With threads shared by replicas, the root's edit tells the fleet, a replica that leaves names who is still failing,
 * and a cycle of one replica reads exactly as the seed's.
 */
class FleetMessageTests {

	private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

	private final DefaultMessageRenderer renderer = new DefaultMessageRenderer(null, "pod-a");

	private final TransitionSnapshot trip = snapshot(State.CLOSED, State.OPEN);

	private final SlackThread thread = SlackThread.started(this.trip, "C1", "1700000000.000100");

	private final Template triggered = template(State.CLOSED, State.OPEN);

	@Test
	void aRootEditTellsHowManyReplicasAreInEachState() {
		assertThat(rootEdit(snapshot(State.CLOSED, State.OPEN), fleet("pod-a", State.OPEN, "pod-b", State.OPEN,
				"pod-c", State.OPEN)))
			.isEqualTo("🚨 Circuit Breaker Triggered — OPEN on 3 instances: payment");
		assertThat(rootEdit(snapshot(State.OPEN, State.HALF_OPEN), fleet("pod-a", State.HALF_OPEN, "pod-b",
				State.OPEN, "pod-c", State.OPEN)))
			.isEqualTo("🚨 Circuit Breaker Triggered — HALF_OPEN on 1, OPEN on 2: payment");
	}

	@Test
	void aRootEditAfterAReplicaLeftTellsWhoIsStillIn() {
		assertThat(rootEdit(snapshot(State.HALF_OPEN, State.CLOSED), fleet("pod-b", State.OPEN)))
			.isEqualTo("🚨 Circuit Breaker Triggered — OPEN on 1 instance: payment");
	}

	@Test
	void aCycleOfOneReplicaReadsAsTheSeeds() {
		assertThat(rootEdit(snapshot(State.OPEN, State.HALF_OPEN), fleet("pod-a", State.HALF_OPEN)))
			.isEqualTo("🚨 Circuit Breaker Triggered — now HALF_OPEN: payment");
		assertThat(rootEdit(snapshot(State.OPEN, State.HALF_OPEN), Map.of()))
			.isEqualTo("🚨 Circuit Breaker Triggered — now HALF_OPEN: payment");
	}

	@Test
	void aReplicaThatLeavesNamesTheReplicasStillFailingAndTellsItsOwnInstance() {
		TransitionSnapshot recovered = snapshot(State.HALF_OPEN, State.CLOSED);
		ChatPostMessage leave = this.renderer.render(recovered, template(State.HALF_OPEN, State.CLOSED), "C1",
				new ThreadRules.Step(this.thread.threadTs(), false, false, false), this.thread, null,
				fleet("pod-b", State.OPEN, "pod-c", State.HALF_OPEN));
		assertThat(leave.replyBroadcast()).isNull();
		assertThat(leave.attachments().get(0).blocks())
			.anySatisfy((block) -> assertThat(String.valueOf(block))
				.contains("*Still failing on 2 instances:* pod-b (OPEN), pod-c (HALF_OPEN)"))
			.anySatisfy((block) -> assertThat(String.valueOf(block)).contains("*Instance:*\npod-a"));
	}

	@Test
	void theEndOfACycleWhoseReplicasAreGoneIsAQuietReply() {
		ChatPostMessage ended = this.renderer.renderCycleEnded(this.thread, "its last instance, pod-c, stopped reporting",
				"#36a64f");
		assertThat(ended.text())
			.isEqualTo("The failure cycle of payment ended: its last instance, pod-c, stopped reporting");
		assertThat(ended.threadTs()).isEqualTo(this.thread.threadTs());
		assertThat(ended.replyBroadcast()).isNull();
	}

	private String rootEdit(TransitionSnapshot latest, Map<String, State> fleet) {
		return this.renderer.renderRootUpdate(this.thread, this.triggered, latest,
				template(latest.transition().from(), latest.transition().to()), false, fleet).text();
	}

	private static Map<String, State> fleet(Object... pairs) {
		Map<String, State> fleet = new TreeMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			fleet.put((String) pairs[i], (State) pairs[i + 1]);
		}
		return fleet;
	}

	private static Template template(State from, State to) {
		return Templates.defaults().forTransition(Transition.of(from, to));
	}

	private static TransitionSnapshot snapshot(State from, State to) {
		return new TransitionSnapshot("payment", Transition.of(from, to), AT);
	}

}
