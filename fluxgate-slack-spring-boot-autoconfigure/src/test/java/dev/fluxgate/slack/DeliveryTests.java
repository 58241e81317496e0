package dev.fluxgate.slack;

import java.util.List;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * How both listeners deliver through Slack's faults: retried when it may help, never retried when it cannot, and
 * never disturbing the code that called the circuit breaker.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onRealTime();

	private static final SlackStandIn slack = fixture.slack();

	private AbstractSlackListener listener;

	private CircuitBreaker bound(ListenerMode mode) {
		this.listener = mode.create(fixture);
		return fixture.bound("payment");
	}

	private void failFirst(int times, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure) {
		String state = STARTED;
		for (int i = 1; i <= times; i++) {
			String next = "failed " + i;
			slack.stub(SlackStandIn.postMessage()
				.atPriority(1)
				.inScenario("faults")
				.whenScenarioStateIs(state)
				.willReturn(failure)
				.willSetStateTo(next));
			state = next;
		}
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.inScenario("faults")
			.whenScenarioStateIs(state)
			.willReturn(SlackStandIn.ok()));
	}

	@ParameterizedTest
	@EnumSource
	void rateLimitIsRetriedAfterRetryAfterKeepingOrder(ListenerMode mode) {
		failFirst(1, aResponse().withStatus(429).withHeader("Retry-After", "1"));
		CircuitBreaker circuitBreaker = bound(mode);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.get(0).ts()).isNull();
		assertThat(posts.get(1).ts()).isNotNull();
		assertThat(posts.get(1).transition()).isEqualTo("CLOSED → OPEN");
		assertThat(posts.get(2).transition()).isEqualTo("OPEN → HALF_OPEN");
		assertThat(posts.get(2).threadTs()).isEqualTo(posts.get(1).ts());
		List<com.github.tomakehurst.wiremock.stubbing.ServeEvent> events = slack.server().getAllServeEvents();
		long waited = events.get(events.size() - 2).getRequest().getLoggedDate().getTime()
				- events.get(events.size() - 1).getRequest().getLoggedDate().getTime();
		assertThat(waited).as("waited for Retry-After").isGreaterThanOrEqualTo(900);
		assertThat(fixture.outcomes().retried).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource
	void serverErrorIsRetried(ListenerMode mode) {
		failFirst(1, aResponse().withStatus(500));
		bound(mode).transitionToOpenState();
		List<Post> posts = slack.awaitPosts(2);
		assertThat(posts.get(1).ts()).isNotNull();
		await().until(() -> this.listener.getThreadStore().find("payment").blockOptional().isPresent());
		assertThat(fixture.outcomes().delivered).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource
	void permanentErrorIsNotRetried(ListenerMode mode, CapturedOutput output) {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.error("invalid_auth")));
		bound(mode).transitionToOpenState();
		await().until(() -> fixture.outcomes().failed.size() == 1);
		assertThat(slack.posts()).hasSize(1);
		assertThat(fixture.outcomes().failed.peek().getError()).isEqualTo("invalid_auth");
		assertThat(output).contains("Could not post CLOSED → OPEN of circuit breaker 'payment' to Slack channel "
				+ SlackStandIn.CHANNEL + ": chat.postMessage failed: invalid_auth (the bot token is wrong or revoked");
	}

	@ParameterizedTest
	@EnumSource
	void fatalErrorIsRetriedOnlyOnce(ListenerMode mode, CapturedOutput output) {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.error("fatal_error")));
		bound(mode).transitionToOpenState();
		await().until(() -> fixture.outcomes().failed.size() == 1);
		assertThat(slack.posts()).hasSize(2);
		await().until(() -> output.getAll().contains("chat.postMessage failed: fatal_error"));
	}

	@ParameterizedTest
	@EnumSource
	void transientFailuresStopAfterMaxAttempts(ListenerMode mode, CapturedOutput output) {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.error("service_unavailable")));
		bound(mode).transitionToOpenState();
		await().until(() -> fixture.outcomes().failed.size() == 1);
		assertThat(slack.posts()).hasSize(ListenerMode.FAST_RETRIES.maxAttempts());
		assertThat(fixture.outcomes().retried).hasSize(ListenerMode.FAST_RETRIES.maxAttempts() - 1);
		await().until(() -> output.getAll().contains("chat.postMessage failed: service_unavailable"));
	}

	@ParameterizedTest
	@EnumSource
	void malformedAnswerNeverReachesTheCaller(ListenerMode mode, CapturedOutput output) {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>")));
		CircuitBreaker circuitBreaker = bound(mode);
		assertThatNoException().isThrownBy(circuitBreaker::transitionToOpenState);
		await().until(() -> fixture.outcomes().failed.size() == 1);
		assertThat(fixture.outcomes().failed.peek().getError()).isEqualTo("malformed_response");
		await().until(() -> output.getAll().contains("returned a malformed answer: content type text/html is not "
				+ "application/json"));
	}

	@ParameterizedTest
	@EnumSource
	void listenerFailureNeverReachesTheCaller(ListenerMode mode, CapturedOutput output) {
		this.listener = mode.create(fixture, (builder) -> builder.renderer(new DefaultMessageRenderer() {
			@Override
			protected String time(TransitionSnapshot snapshot) {
				throw new IllegalStateException("broken renderer");
			}
		}));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		this.listener.bindTo(circuitBreaker);
		assertThatNoException().isThrownBy(() -> {
			circuitBreaker.transitionToOpenState();
			circuitBreaker.transitionToHalfOpenState();
		});
		assertThat(circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
		await().until(() -> output.getAll().contains("java.lang.IllegalStateException: broken renderer"));
	}

	@ParameterizedTest
	@EnumSource
	void slowRootIsAwaitedByItsReply(ListenerMode mode) {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("thread_ts"))
			.atPriority(1)
			.willReturn(SlackStandIn.ok().withFixedDelay(500)));
		CircuitBreaker circuitBreaker = bound(mode);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(2);
		assertThat(posts.get(1).threadTs()).isEqualTo(posts.get(0).ts());
	}

}
