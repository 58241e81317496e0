package dev.fluxgate.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.fluxgate.slack.SlackStandIn.Post;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The async listener: the caller only enqueues, each breaker keeps its order, and pending work is bounded.
 */
class AsyncSlackListenerTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onRealTime();

	private static final SlackStandIn slack = fixture.slack();

	private AsyncSlackListener listener;

	private AsyncSlackListener listener(int queueCapacity, Duration closeTimeout) {
		this.listener = fixture.use(fixture.configure(AsyncSlackListener.builder())
			.retryPolicy(ListenerMode.FAST_RETRIES)
			.queueCapacity(queueCapacity)
			.closeTimeout(closeTimeout)
			.coalescing(false)
			.build());
		return this.listener;
	}

	@Test
	void callerReturnsBeforeSlackAnswers() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(1000)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener(10, Duration.ofSeconds(5)).bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		assertThat(this.listener.getPending()).isEqualTo(1);
		assertThat(fixture.outcomes().delivered).isEmpty();
		await().until(() -> fixture.outcomes().delivered.size() == 1);
		assertThat(this.listener.getPending()).isZero();
	}

	@Test
	void messagesBeyondCapacityAreDroppedAndCounted() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener(2, Duration.ofSeconds(5)).bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToClosedState();
		assertThat(this.listener.getDropped()).isEqualTo(3);
		assertThat(fixture.outcomes().dropped).extracting((snapshot) -> snapshot.transition().toString())
			.containsExactly("HALF_OPEN → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		await().until(() -> fixture.outcomes().delivered.size() == 2);
		assertThat(slack.posts()).hasSize(2);
	}

	@Test
	void closeDeliversPendingMessages() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(100)));
		List<CircuitBreaker> breakers = new ArrayList<>();
		listener(100, Duration.ofSeconds(10));
		for (int i = 0; i < 5; i++) {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("cb-" + i);
			this.listener.bindTo(circuitBreaker);
			breakers.add(circuitBreaker);
		}
		breakers.forEach(CircuitBreaker::transitionToOpenState);
		breakers.forEach(CircuitBreaker::transitionToHalfOpenState);
		this.listener.close();
		assertThat(slack.delivered()).hasSize(10);
		assertThat(this.listener.getPending()).isZero();
	}

	@Test
	void closeGivesUpAfterItsTimeoutAndCountsWhatIsLeft() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(1500)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener(100, Duration.ofMillis(300)).bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToClosedState();
		this.listener.close();
		assertThat(this.listener.getDropped()).isEqualTo(3);
		assertThat(this.listener.getPending()).isZero();
		circuitBreaker.transitionToOpenState();
		assertThat(this.listener.getDropped()).as("closed listeners drop and count").isEqualTo(4);
	}

	@Test
	void fiftyBreakersCyclingConcurrentlyEachKeepTheirOrderAndThread() throws Exception {
		listener(1000, Duration.ofSeconds(10));
		int count = 50;
		List<CircuitBreaker> breakers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("cb-" + i);
			this.listener.bindTo(circuitBreaker);
			breakers.add(circuitBreaker);
		}
		ExecutorService executor = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		for (CircuitBreaker circuitBreaker : breakers) {
			executor.submit(() -> {
				start.await();
				circuitBreaker.transitionToOpenState();
				circuitBreaker.transitionToHalfOpenState();
				circuitBreaker.transitionToOpenState();
				circuitBreaker.transitionToHalfOpenState();
				circuitBreaker.transitionToClosedState();
				return null;
			});
		}
		start.countDown();
		executor.shutdown();
		assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		List<Post> posts = slack.awaitPosts(count * 5);
		Map<String, List<Post>> byBreaker = posts.stream().collect(Collectors.groupingBy(Post::circuitBreaker));
		assertThat(byBreaker).hasSize(count);
		assertThat(byBreaker.values()).allSatisfy((thread) -> {
			assertThat(thread).extracting(Post::transition)
				.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → OPEN", "OPEN → HALF_OPEN",
						"HALF_OPEN → CLOSED");
			assertThat(thread.get(0).threadTs()).isNull();
			assertThat(thread.subList(1, 5)).extracting(Post::threadTs).containsOnly(thread.get(0).ts());
			assertThat(thread.get(4).broadcast()).isTrue();
		});
		assertThat(byBreaker.values().stream().map((thread) -> thread.get(0).ts()).distinct()).hasSize(count);
		await().until(() -> this.listener.getThreadStore().findAll().collectList().block().isEmpty());
	}

}
