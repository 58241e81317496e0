package dev.fluxgate.slack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.fluxgate.slack.SlackStandIn.Post;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The thread rules of the fluxgate Slack listener, as tables, in both modes, with real circuit breakers and Slack stood
 * in for over HTTP.
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

	/**
	 * The transitions one breaker goes through, and where each of its messages lands: {@code root} starts a thread,
	 * {@code reply} replies in it, {@code last} replies and ends it, {@code broadcast} replies, also to the channel,
	 * and ends it, {@code alone} is top-level and starts none. The thread left open, if any, is in the store.
	 */
	static Stream<Arguments> threadRules() {
		return inEachMode(
				row("OPEN", "root"),
				row("OPEN HALF_OPEN", "root reply"),
				row("OPEN HALF_OPEN OPEN HALF_OPEN", "root reply reply reply"),
				row("OPEN HALF_OPEN CLOSED OPEN", "root reply broadcast root"),
				row("OPEN RESET OPEN", "root broadcast root"),
				row("OPEN DISABLED CLOSED", "root last alone"),
				row("OPEN METRICS_ONLY CLOSED", "root last alone"),
				row("OPEN FORCED_OPEN HALF_OPEN", "root reply reply"),
				row("OPEN FORCED_OPEN CLOSED OPEN", "root reply broadcast root"),
				row("DISABLED CLOSED", "alone alone"));
	}

	/** The message of the last of the transitions: the four of the table, then the fallback for any other. */
	static Stream<Arguments> messages() {
		return inEachMode(
				row("OPEN", "🚨 Circuit Breaker Triggered", "#FF4C4C",
						"The request failure rate exceeded the threshold."),
				row("OPEN HALF_OPEN", "🔄 Attempting Circuit Breaker Recovery", "#FFA500",
						"Testing service status with partial requests."),
				row("OPEN HALF_OPEN OPEN", "⚠️ Circuit Breaker Re-triggered", "#FF4C4C",
						"Test request failed, reverting to open state."),
				row("OPEN HALF_OPEN CLOSED", "✅ Circuit Breaker Recovered", "#36a64f",
						"Test request succeeded, service is now healthy."),
				row("OPEN RESET", "ℹ️ Circuit Breaker State Changed", "#808080",
						"Circuit breaker state has been changed."),
				row("DISABLED", "ℹ️ Circuit Breaker State Changed", "#808080",
						"Circuit breaker state has been changed."),
				row("DISABLED CLOSED", "ℹ️ Circuit Breaker State Changed", "#808080",
						"Circuit breaker state has been changed."));
	}

	@ParameterizedTest(name = "[{0}] {1} → {2}")
	@MethodSource("threadRules")
	void eachMessageLandsAsTheThreadRulesSay(ListenerMode mode, String steps, String lands) {
		List<String> transitions = Step.take(steps, bound(mode, "payment"));
		List<Post> posts = slack.awaitPosts(transitions.size());
		assertThat(posts).extracting(Post::transition).containsExactlyElementsOf(transitions);
		String[] landings = lands.split(" ");
		assertThat(landings).hasSameSizeAs(posts);
		String open = null;
		for (int i = 0; i < posts.size(); i++) {
			Post post = posts.get(i);
			String landing = landings[i];
			boolean replies = !landing.equals("root") && !landing.equals("alone");
			if (!replies) {
				assertThat(open).as("the row: %s follows no open thread", landing).isNull();
			}
			assertThat(post.threadTs()).as("thread_ts of message %d", i).isEqualTo(replies ? open : null);
			if (landing.equals("broadcast")) {
				assertThat(post.broadcast()).as("reply_broadcast of message %d", i).isTrue();
			}
			else {
				assertThat(post.hasReplyBroadcast()).as("reply_broadcast of message %d", i).isFalse();
			}
			open = landing.equals("root") ? post.ts() : landing.equals("reply") ? open : null;
		}
		String left = open;
		await().untilAsserted(() -> {
			if (left != null) {
				assertThat(this.listener.getThreadStore().find("payment").blockOptional()).get()
					.satisfies((thread) -> assertThat(thread.threadTs()).isEqualTo(left));
			}
			else {
				assertThat(this.listener.getThreadStore().findAll().collectList().block()).isEmpty();
			}
		});
	}

	@ParameterizedTest(name = "[{0}] {1} → {2}")
	@MethodSource("messages")
	void eachTransitionIsToldWithItsTemplate(ListenerMode mode, String steps, String title, String color,
			String description) {
		List<String> transitions = Step.take(steps, bound(mode, "payment"));
		Post post = slack.awaitPosts(transitions.size()).get(transitions.size() - 1);
		assertThat(post.transition()).isEqualTo(transitions.get(transitions.size() - 1));
		assertThat(post.title()).isEqualTo(title);
		assertThat(post.color()).isEqualTo(color);
		assertThat(post.description()).isEqualTo(description);
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
		await().untilAsserted(() -> assertThat(this.listener.getThreadStore().find("payment").blockOptional()).get()
			.satisfies((thread) -> {
				assertThat(thread.state()).isEqualTo(State.HALF_OPEN);
				assertThat(thread.messages()).isEqualTo(2);
				assertThat(thread.channel()).isEqualTo(SlackStandIn.CHANNEL);
				assertThat(thread.lastTransitionAt()).isAfterOrEqualTo(thread.openedAt());
			}));
	}

	private CircuitBreaker bound(ListenerMode mode, String name) {
		if (this.listener == null) {
			this.listener = mode.create(slack);
		}
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		this.listener.bindTo(circuitBreaker);
		return circuitBreaker;
	}

	private static com.github.tomakehurst.wiremock.matching.StringValuePattern containing(String text) {
		return com.github.tomakehurst.wiremock.client.WireMock.containing(text);
	}

	private static Stream<Arguments> inEachMode(Object[]... rows) {
		return Arrays.stream(ListenerMode.values())
			.flatMap((mode) -> Arrays.stream(rows).map((row) -> Stream.concat(Stream.of(mode), Arrays.stream(row))))
			.map((row) -> Arguments.of(row.toArray()));
	}

	private static Object[] row(Object... values) {
		return values;
	}

	/** A state transition caused through the circuit breaker's own API. */
	enum Step {

		OPEN(CircuitBreaker::transitionToOpenState), HALF_OPEN(CircuitBreaker::transitionToHalfOpenState),
		CLOSED(CircuitBreaker::transitionToClosedState), RESET(CircuitBreaker::reset),
		DISABLED(CircuitBreaker::transitionToDisabledState), METRICS_ONLY(CircuitBreaker::transitionToMetricsOnlyState),
		FORCED_OPEN(CircuitBreaker::transitionToForcedOpenState);

		private final Consumer<CircuitBreaker> action;

		Step(Consumer<CircuitBreaker> action) {
			this.action = action;
		}

		/** Take the steps, such as {@code OPEN HALF_OPEN}, and return the transitions they made. */
		static List<String> take(String steps, CircuitBreaker circuitBreaker) {
			List<String> transitions = new ArrayList<>();
			for (String step : steps.split(" ")) {
				State from = circuitBreaker.getState();
				valueOf(step).action.accept(circuitBreaker);
				transitions.add(from + " → " + circuitBreaker.getState());
			}
			return transitions;
		}

	}

}
