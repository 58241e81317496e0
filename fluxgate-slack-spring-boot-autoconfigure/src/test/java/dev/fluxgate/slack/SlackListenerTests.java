package dev.fluxgate.slack;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sync listener: it returns once Slack answered, or at its deadline.
 */
class SlackListenerTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final RecordingObserver outcomes = new RecordingObserver();

	private SlackListener listener(Duration deadline) {
		return slack.configure(SlackListener.builder())
			.retryPolicy(ListenerMode.FAST_RETRIES)
			.deadline(deadline)
			.observer(this.outcomes)
			.build();
	}

	@Test
	void returnsOnceSlackAnswered() {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		SlackListener listener = listener(Duration.ofSeconds(5));
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		assertThat(slack.delivered()).hasSize(1);
		assertThat(listener.getThreadStore().find("payment").blockOptional()).isPresent();
	}

	@Test
	void replyReturnsAfterItsOwnMessageAndTheRootEditComesBeforeTheNextMessage() {
		slack.stub(SlackStandIn.update().atPriority(1).willReturn(SlackStandIn.updated().withFixedDelay(1500)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		SlackListener listener = listener(Duration.ofSeconds(5));
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		long start = System.nanoTime();
		circuitBreaker.transitionToHalfOpenState();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the caller does not wait for the root's edit")
			.isLessThan(Duration.ofMillis(1000));
		assertThat(slack.delivered()).hasSize(2);
		circuitBreaker.transitionToOpenState();
		assertThat(slack.delivered()).hasSize(3);
		long editAnswered = requestTime("/api/chat.update", 0) + 1500;
		assertThat(requestTime("/api/chat.postMessage", 2)).as("the next message waits for the edit")
			.isGreaterThanOrEqualTo(editAnswered - 50);
	}

	private static long requestTime(String url, int index) {
		return slack.server().getAllServeEvents().stream()
			.filter((event) -> event.getRequest().getUrl().equals(url))
			.map((event) -> event.getRequest().getLoggedDate().getTime())
			.sorted()
			.toList()
			.get(index);
	}

	@Test
	void givesUpAtItsDeadline() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(3000)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener(Duration.ofMillis(300)).bindTo(circuitBreaker);
		long start = System.nanoTime();
		circuitBreaker.transitionToOpenState();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the caller's wait").isLessThan(Duration.ofMillis(1300));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.outcomes.failed).extracting((ex) -> ex.getError())
				.containsExactly("deadline_exceeded"));
		assertThat(circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void deadlineDefaultsToTheRequestTimeout() {
		SlackListener listener = SlackListener.builder()
			.channel(SlackStandIn.CHANNEL)
			.token(SlackStandIn.TOKEN)
			.timeout(Duration.ofSeconds(3))
			.build();
		assertThat(listener.getDeadline()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void tokenIsNeverShown() {
		SlackListener listener = new SlackListener(SlackStandIn.CHANNEL, SlackStandIn.TOKEN);
		assertThat(listener.toString()).doesNotContain(SlackStandIn.TOKEN).contains(SlackStandIn.CHANNEL);
		assertThat(SlackListener.builder().token(SlackStandIn.TOKEN).toString()).doesNotContain(SlackStandIn.TOKEN);
	}

}
