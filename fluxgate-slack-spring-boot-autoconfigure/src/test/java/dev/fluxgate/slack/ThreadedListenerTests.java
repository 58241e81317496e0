package dev.fluxgate.slack;

import java.util.List;

import dev.fluxgate.slack.SlackStandIn.Post;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thread rules of the fluxgate Slack listener, case by case, in both modes, with real circuit breakers and Slack
 * stood in for over HTTP.
 */
class ThreadedListenerTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private AbstractSlackListener listener;

	@AfterEach
	void closeListener() throws Exception {
		if (this.listener instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}


	private CircuitBreaker bound(ListenerMode mode, String name) {
		if (this.listener == null) {
			this.listener = mode.create(slack);
		}
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		this.listener.bindTo(circuitBreaker);
		return circuitBreaker;
	}

	@ParameterizedTest
	@EnumSource
	void closedToOpenStartsThreadWithoutThreadTs(ListenerMode mode) {
		bound(mode, "payment").transitionToOpenState();
		Post root = slack.awaitPosts(1).get(0);
		assertThat(root.threadTs()).isNull();
		assertThat(root.hasReplyBroadcast()).isFalse();
		assertThat(root.title()).isEqualTo("🚨 Circuit Breaker Triggered");
		assertThat(root.color()).isEqualTo("#FF4C4C");
		assertThat(root.transition()).isEqualTo("CLOSED → OPEN");
		assertThat(this.listener.getThreadStore().find("payment").blockOptional()).get()
			.satisfies((thread) -> assertThat(thread.threadTs()).isEqualTo(root.ts()));
	}

	@ParameterizedTest
	@EnumSource
	void openToHalfOpenRepliesWithRootTs(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(2);
		assertThat(posts.get(1).threadTs()).isEqualTo(posts.get(0).ts());
		assertThat(posts.get(1).title()).isEqualTo("🔄 Attempting Circuit Breaker Recovery");
		assertThat(posts.get(1).color()).isEqualTo("#FFA500");
		assertThat(posts.get(1).hasReplyBroadcast()).isFalse();
	}

	@ParameterizedTest
	@EnumSource
	void halfOpenToOpenRepliesAndKeepsThread(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(4);
		String root = posts.get(0).ts();
		assertThat(posts.get(2).title()).isEqualTo("⚠️ Circuit Breaker Re-triggered");
		assertThat(posts.subList(1, 4)).extracting(Post::threadTs).containsOnly(root);
	}

	@ParameterizedTest
	@EnumSource
	void halfOpenToClosedRepliesWithBroadcastAndEndsThread(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToClosedState();
		circuitBreaker.transitionToOpenState();
		List<Post> posts = slack.awaitPosts(4);
		Post recovered = posts.get(2);
		assertThat(recovered.title()).isEqualTo("✅ Circuit Breaker Recovered");
		assertThat(recovered.color()).isEqualTo("#36a64f");
		assertThat(recovered.threadTs()).isEqualTo(posts.get(0).ts());
		assertThat(recovered.broadcast()).isTrue();
		assertThat(posts.get(3).threadTs()).as("the next cycle starts a new thread").isNull();
		assertThat(this.listener.getThreadStore().find("payment").blockOptional()).get()
			.satisfies((thread) -> assertThat(thread.threadTs()).isEqualTo(posts.get(3).ts()));
	}

	@ParameterizedTest
	@EnumSource
	void resetFromOpenRepliesAndEndsThread(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.reset();
		circuitBreaker.transitionToOpenState();
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.get(1).transition()).isEqualTo("OPEN → CLOSED");
		assertThat(posts.get(1).threadTs()).isEqualTo(posts.get(0).ts());
		assertThat(posts.get(1).title()).isEqualTo("ℹ️ Circuit Breaker State Changed");
		assertThat(posts.get(2).threadTs()).isNull();
	}

	@ParameterizedTest
	@EnumSource
	void disabledEndsThread(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToDisabledState();
		circuitBreaker.transitionToClosedState();
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.get(1).transition()).isEqualTo("OPEN → DISABLED");
		assertThat(posts.get(1).threadTs()).isEqualTo(posts.get(0).ts());
		assertThat(posts.get(1).hasReplyBroadcast()).isFalse();
		assertThat(posts.get(2).threadTs()).isNull();
		assertThat(this.listener.getThreadStore().findAll().collectList().block()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void metricsOnlyEndsThread(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToMetricsOnlyState();
		circuitBreaker.transitionToClosedState();
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.get(1).transition()).isEqualTo("OPEN → METRICS_ONLY");
		assertThat(posts.get(1).threadTs()).isEqualTo(posts.get(0).ts());
		assertThat(posts.get(2).threadTs()).isNull();
	}

	@ParameterizedTest
	@EnumSource
	void forcedOpenKeepsThread(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToForcedOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.get(1).transition()).isEqualTo("OPEN → FORCED_OPEN");
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
	}

	@ParameterizedTest
	@EnumSource
	void forcedOpenToClosedEndsThread(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToForcedOpenState();
		circuitBreaker.transitionToClosedState();
		circuitBreaker.transitionToOpenState();
		List<Post> posts = slack.awaitPosts(4);
		assertThat(posts.get(2).transition()).isEqualTo("FORCED_OPEN → CLOSED");
		assertThat(posts.get(2).threadTs()).isEqualTo(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
		assertThat(posts.get(3).threadTs()).isNull();
	}

	@ParameterizedTest
	@EnumSource
	void twoBreakersKeepTwoThreads(ListenerMode mode) {
		CircuitBreaker payment = bound(mode, "payment");
		CircuitBreaker inventory = bound(mode, "inventory");
		payment.transitionToOpenState();
		slack.awaitPosts(1);
		inventory.transitionToOpenState();
		slack.awaitPosts(2);
		payment.transitionToHalfOpenState();
		inventory.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(4);
		String paymentRoot = posts.get(0).ts();
		String inventoryRoot = posts.get(1).ts();
		assertThat(paymentRoot).isNotEqualTo(inventoryRoot);
		assertThat(posts.subList(2, 4)).allSatisfy((reply) -> assertThat(reply.threadTs())
			.isEqualTo(reply.circuitBreaker().equals("payment") ? paymentRoot : inventoryRoot));
	}

	@ParameterizedTest
	@EnumSource
	void fallbackTemplateIsUsedOutsideTheTable(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToDisabledState();
		circuitBreaker.transitionToClosedState();
		List<Post> posts = slack.awaitPosts(2);
		assertThat(posts).extracting(Post::title).containsOnly("ℹ️ Circuit Breaker State Changed");
		assertThat(posts).extracting(Post::color).containsOnly("#808080");
		assertThat(posts.get(1).transition()).isEqualTo("DISABLED → CLOSED");
		assertThat(posts.get(1).description()).isEqualTo("Circuit breaker state has been changed.");
		assertThat(posts).extracting(Post::threadTs).containsOnlyNulls();
	}

	@ParameterizedTest
	@EnumSource
	void undeliveredRootLeavesCycleWithoutThread(ListenerMode mode) {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(matchingJsonPath("$.attachments[0].blocks[1].fields[1].text", containing("CLOSED → OPEN")))
			.atPriority(1)
			.willReturn(SlackStandIn.error("channel_not_found")));
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(4);
		assertThat(posts.get(0).ts()).isNull();
		assertThat(posts.get(1).threadTs()).as("never a thread_ts Slack did not give").isNull();
		assertThat(posts.get(2).threadTs()).as("the re-trigger becomes the root").isNull();
		assertThat(posts.get(3).threadTs()).isEqualTo(posts.get(2).ts());
	}

	@ParameterizedTest
	@EnumSource
	void undeliveredRecoveryStillEndsThread(ListenerMode mode) {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(matchingJsonPath("$.reply_broadcast"))
			.atPriority(1)
			.willReturn(SlackStandIn.error("is_archived")));
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToClosedState();
		circuitBreaker.transitionToOpenState();
		List<Post> posts = slack.awaitPosts(4);
		assertThat(posts.get(2).ts()).isNull();
		assertThat(posts.get(3).threadTs()).isNull();
		assertThat(this.listener.getThreadStore().find("payment").blockOptional()).get()
			.satisfies((thread) -> assertThat(thread.threadTs()).isEqualTo(posts.get(3).ts()));
	}

	@ParameterizedTest
	@EnumSource
	void threadRecordsStateAndMessages(ListenerMode mode) {
		CircuitBreaker circuitBreaker = bound(mode, "payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		slack.awaitPosts(2);
		org.awaitility.Awaitility.await()
			.untilAsserted(() -> assertThat(this.listener.getThreadStore().find("payment").blockOptional()).get()
				.satisfies((thread) -> {
					assertThat(thread.state()).isEqualTo(State.HALF_OPEN);
					assertThat(thread.messages()).isEqualTo(2);
					assertThat(thread.channel()).isEqualTo(SlackStandIn.CHANNEL);
					assertThat(thread.lastTransitionAt()).isAfterOrEqualTo(thread.openedAt());
				}));
	}

	private static com.github.tomakehurst.wiremock.matching.StringValuePattern containing(String text) {
		return com.github.tomakehurst.wiremock.client.WireMock.containing(text);
	}

}
