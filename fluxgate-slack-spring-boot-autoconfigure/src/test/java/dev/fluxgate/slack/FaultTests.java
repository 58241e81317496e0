package dev.fluxgate.slack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.delivery.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slack on its worst day: unreachable, rate limiting, slow, refusing a thread; and breakers changing state from many
 * threads at once.
 */
class FaultTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final RecordingObserver outcomes = new RecordingObserver();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private AsyncSlackListener async(String baseUrl, RetryPolicy retries) {
		AsyncSlackListener listener = AsyncSlackListener.builder()
			.channel(SlackStandIn.CHANNEL)
			.token(SlackStandIn.TOKEN)
			.baseUrl(baseUrl)
			.timeout(Duration.ofMillis(500))
			.retryPolicy(retries)
			.observer(this.outcomes)
			.build();
		this.closeables.add(listener);
		return listener;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Test
	void unreachableSlackGetsTheWholeCycleInOrderWhenItReturns() throws Exception {
		SlackStandIn later = SlackStandIn.down(freePort());
		this.closeables.add(later);
		AsyncSlackListener listener = async(later.baseUrl(),
				new RetryPolicy(8, Duration.ofMillis(200), Duration.ofMillis(500)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToClosedState();
		await().pollDelay(Duration.ofMillis(700)).until(() -> true);
		assertThat(this.outcomes.retried).isNotEmpty();
		later.start();
		List<Post> posts = later.awaitPosts(3);
		assertThat(posts).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(this.outcomes.failed).isEmpty();
	}

	@Test
	void unreachableSlackBeyondTheRetryBudgetIsCountedAsFailed() throws Exception {
		AsyncSlackListener listener = async("http://127.0.0.1:" + freePort() + "/api",
				new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(50)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		await().until(() -> this.outcomes.failed.size() == 2);
		assertThat(this.outcomes.failed).extracting((ex) -> ex.getError()).containsOnly("connect_error");
		assertThat(listener.getPending()).isZero();
	}

	@Test
	void rateLimitStormIsWaitedOutInOrder() {
		String state = STARTED;
		for (int i = 1; i <= 4; i++) {
			slack.stub(SlackStandIn.postMessage()
				.atPriority(1)
				.inScenario("429")
				.whenScenarioStateIs(state)
				.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0"))
				.willSetStateTo("429-" + i));
			state = "429-" + i;
		}
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.inScenario("429")
			.whenScenarioStateIs(state)
			.willReturn(SlackStandIn.ok()));
		AsyncSlackListener listener = async(slack.baseUrl(), new RetryPolicy(6, Duration.ofMillis(50), Duration.ofMillis(100)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToClosedState();
		await().until(() -> slack.delivered().size() == 3);
		List<Post> delivered = slack.delivered();
		assertThat(delivered).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(delivered.subList(1, 3)).extracting(Post::threadTs).containsOnly(delivered.get(0).ts());
		assertThat(slack.posts()).hasSize(7);
	}

	@Test
	void timeoutIsRetriedOnceAtMostBecauseSlackMayHavePosted() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.inScenario("slow")
			.whenScenarioStateIs(STARTED)
			.willReturn(SlackStandIn.ok().withFixedDelay(1500))
			.willSetStateTo("fast"));
		AsyncSlackListener listener = async(slack.baseUrl(), ListenerMode.FAST_RETRIES);
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		await().until(() -> this.outcomes.delivered.size() == 1);
		assertThat(this.outcomes.retried).extracting((ex) -> ex.getError()).containsExactly("timeout");

		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(1500)));
		CircuitBreaker inventory = CircuitBreaker.ofDefaults("inventory");
		listener.bindTo(inventory);
		inventory.transitionToOpenState();
		await().until(() -> this.outcomes.failed.size() == 1);
		assertThat(this.outcomes.failed).extracting((ex) -> ex.getError()).containsExactly("timeout");
		assertThat(slack.posts()).as("two attempts for the first, two for the second").hasSize(4);
	}

	@Test
	void serverErrorIsRetriedOnceAtMost() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(aResponse().withStatus(503)));
		AsyncSlackListener listener = async(slack.baseUrl(), ListenerMode.FAST_RETRIES);
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		await().until(() -> this.outcomes.failed.size() == 1);
		assertThat(this.outcomes.failed).extracting((ex) -> ex.getError()).containsExactly("http_503");
		assertThat(slack.posts()).hasSize(2);
	}

	@ParameterizedTest
	@EnumSource
	void permanentErrorInTheMiddleOfAThreadKeepsTheThread(ListenerMode mode) throws Exception {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("HALF_OPEN → OPEN"))
			.atPriority(1)
			.willReturn(SlackStandIn.error("is_archived")));
		AbstractSlackListener listener = mode.create(slack, (builder) -> builder.observer(this.outcomes));
		if (listener instanceof AutoCloseable closeable) {
			this.closeables.add(closeable);
		}
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(4);
		assertThat(posts.get(2).ts()).isNull();
		assertThat(posts.subList(1, 4)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(this.outcomes.failed).extracting((ex) -> ex.getError()).containsExactly("is_archived");
	}

	@ParameterizedTest
	@EnumSource
	void refusedThreadIsDroppedAndTheRestStartsANewOne(ListenerMode mode) throws Exception {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(matchingJsonPath("$.thread_ts"))
			.inScenario("deleted root")
			.whenScenarioStateIs(STARTED)
			.atPriority(1)
			.willReturn(SlackStandIn.error("cannot_reply_to_message"))
			.willSetStateTo("new root"));
		AbstractSlackListener listener = mode.create(slack);
		if (listener instanceof AutoCloseable closeable) {
			this.closeables.add(closeable);
		}
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToOpenState();
		List<Post> posts = slack.awaitPosts(4);
		assertThat(posts.get(1).ts()).as("refused reply").isNull();
		assertThat(posts.get(2).transition()).isEqualTo("OPEN → HALF_OPEN");
		assertThat(posts.get(2).threadTs()).as("re-posted as a new root").isNull();
		assertThat(posts.get(3).threadTs()).isEqualTo(posts.get(2).ts());
	}

	@ParameterizedTest
	@EnumSource
	void transitionsFromManyThreadsAreNeitherLostNorDuplicated(ListenerMode mode) throws Exception {
		AbstractSlackListener listener = mode.create(slack, (builder) -> builder.observer(this.outcomes));
		if (listener instanceof AutoCloseable closeable) {
			this.closeables.add(closeable);
		}
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		List<String> published = Collections.synchronizedList(new ArrayList<>());
		circuitBreaker.getEventPublisher()
			.onStateTransition((event) -> published.add(event.getStateTransition().getToState().name()));
		ExecutorService executor = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		for (int thread = 0; thread < 8; thread++) {
			executor.submit(() -> {
				start.await();
				for (int i = 0; i < 10; i++) {
					try {
						circuitBreaker.transitionToOpenState();
						circuitBreaker.transitionToHalfOpenState();
					}
					catch (IllegalStateTransitionException ex) {
						// another thread moved it first
					}
				}
				return null;
			});
		}
		start.countDown();
		executor.shutdown();
		assertThat(executor.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
		List<Post> posts = slack.awaitPosts(published.size());
		await().untilAsserted(() -> assertThat(this.outcomes.delivered).hasSize(published.size()));
		assertThat(slack.posts()).hasSize(published.size());
		assertThat(posts).extracting(Post::transition).map((transition) -> transition.substring(transition.indexOf("→") + 2))
			.containsExactlyInAnyOrderElementsOf(published);
		List<String> roots = posts.stream().filter((post) -> post.threadTs() == null).map(Post::ts).toList();
		assertThat(roots).as("Resilience4j may publish two racing transitions out of order; at most one extra root")
			.hasSizeBetween(1, 2);
		assertThat(posts).filteredOn((post) -> post.threadTs() != null)
			.allSatisfy((reply) -> assertThat(roots).contains(reply.threadTs()));
	}

}
