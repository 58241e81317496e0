package dev.fluxgate.slack.thread;

import java.time.Instant;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadRulesTests {

	private final SlackThread open = new SlackThread("payment", "C1", "1700000000.000100", State.OPEN, Instant.EPOCH,
			Instant.EPOCH, 1, null);

	@Test
	void openWithoutThreadPostsRootThatStartsThread() {
		assertThat(ThreadRules.next(State.OPEN, null))
			.isEqualTo(new ThreadRules.Step(null, false, true, false));
	}

	@Test
	void forcedOpenWithoutThreadIsTopLevelAndStartsNothing() {
		assertThat(ThreadRules.next(State.FORCED_OPEN, null))
			.isEqualTo(new ThreadRules.Step(null, false, false, false));
	}

	@Test
	void halfOpenWithoutThreadPostsTopLevelWithoutStartingOne() {
		assertThat(ThreadRules.next(State.HALF_OPEN, null))
			.isEqualTo(new ThreadRules.Step(null, false, false, false));
	}

	@Test
	void halfOpenInThreadReplies() {
		assertThat(ThreadRules.next(State.HALF_OPEN, this.open))
			.isEqualTo(new ThreadRules.Step("1700000000.000100", false, false, false));
	}

	@Test
	void reopenInThreadRepliesAndKeepsThread() {
		assertThat(ThreadRules.next(State.OPEN, this.open))
			.isEqualTo(new ThreadRules.Step("1700000000.000100", false, false, false));
	}

	@Test
	void closedInThreadRepliesWithBroadcastAndEndsThread() {
		assertThat(ThreadRules.next(State.CLOSED, this.open))
			.isEqualTo(new ThreadRules.Step("1700000000.000100", true, false, true));
	}

	@Test
	void disabledAndMetricsOnlyInThreadReplyWithoutBroadcastAndEndThread() {
		assertThat(ThreadRules.next(State.DISABLED, this.open))
			.isEqualTo(new ThreadRules.Step("1700000000.000100", false, false, true));
		assertThat(ThreadRules.next(State.METRICS_ONLY, this.open))
			.isEqualTo(new ThreadRules.Step("1700000000.000100", false, false, true));
	}

	@Test
	void forcedOpenInThreadKeepsThread() {
		assertThat(ThreadRules.next(State.FORCED_OPEN, this.open))
			.isEqualTo(new ThreadRules.Step("1700000000.000100", false, false, false));
	}

	@Test
	void closedWithoutThreadIsTopLevelAndNeverBroadcast() {
		ThreadRules.Step step = ThreadRules.next(State.CLOSED, null);
		assertThat(step.threadTs()).isNull();
		assertThat(step.broadcast()).isFalse();
		assertThat(step.isReply()).isFalse();
	}

}
