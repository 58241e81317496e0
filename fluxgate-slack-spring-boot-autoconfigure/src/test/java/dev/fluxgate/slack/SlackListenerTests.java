package dev.fluxgate.slack;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync listener: it returns once Slack answered, or at its deadline.
 */
class SlackListenerTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final DeliveryTests.Outcomes outcomes = new DeliveryTests.Outcomes();



	private SlackListener listener(Duration deadline) {
		return SlackListener.builder()
			.channel(SlackStandIn.CHANNEL)
			.token(SlackStandIn.TOKEN)
			.baseUrl(slack.baseUrl())
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
		assertThat(listener.getThreadStore().find("payment")).isPresent();
	}

	@Test
	void givesUpAtItsDeadline() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(3000)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener(Duration.ofMillis(300)).bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		assertThat(this.outcomes.failed).extracting((ex) -> ex.getError()).containsExactly("deadline_exceeded");
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
