package dev.fluxgate.slack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.delivery.ChannelPacer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's first promise in the default async mode: against a Slack that never pushes back, every transition is a
 * message of its own, however fast the transitions come, and each failure cycle is one thread.
 */
class SeedFidelityTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final RecordingObserver outcomes = new RecordingObserver();

	private final AsyncSlackListener listener = slack.configure(AsyncSlackListener.builder())
		.pacer(ChannelPacer.slackDefault())
		.observer(this.outcomes)
		.build();

	@AfterEach
	void close() {
		this.listener.close();
	}

	private CircuitBreaker bound(String name) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		this.listener.bindTo(circuitBreaker);
		return circuitBreaker;
	}

	private List<Post> delivered(int count) {
		await().atMost(Duration.ofSeconds(20)).until(() -> slack.delivered().size() >= count
				&& this.listener.getPending() == 0);
		return slack.delivered();
	}

	@Test
	void referenceSequenceDrivenWithoutPauseGivesElevenMessagesInTheSeedsThreads() {
		CircuitBreaker cb = bound("payment");
		cb.transitionToOpenState();
		cb.transitionToHalfOpenState();
		cb.transitionToOpenState();
		cb.transitionToHalfOpenState();
		cb.transitionToClosedState();
		cb.transitionToOpenState();
		cb.transitionToForcedOpenState();
		cb.transitionToClosedState();
		cb.transitionToOpenState();
		cb.transitionToDisabledState();
		cb.transitionToClosedState();
		List<Post> posts = delivered(11);
		assertThat(posts).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → OPEN", "OPEN → HALF_OPEN",
					"HALF_OPEN → CLOSED", "CLOSED → OPEN", "OPEN → FORCED_OPEN", "FORCED_OPEN → CLOSED",
					"CLOSED → OPEN", "OPEN → DISABLED", "DISABLED → CLOSED");
		String first = posts.get(0).ts();
		String second = posts.get(5).ts();
		String third = posts.get(8).ts();
		assertThat(posts).extracting(Post::threadTs)
			.containsExactly(null, first, first, first, first, null, second, second, null, third, null);
		assertThat(posts).extracting(Post::broadcast)
			.containsExactly(false, false, false, false, true, false, false, true, false, false, false);
		assertThat(this.outcomes.delivered).hasSize(11);
		assertThat(this.outcomes.coalesced).isEmpty();
		assertThat(this.listener.getThreadStore().findAll().collectList().block()).isEmpty();
	}

	@Test
	void forcedOpenDuringACycleStaysInItsThread() {
		CircuitBreaker cb = bound("payment");
		cb.transitionToOpenState();
		cb.transitionToForcedOpenState();
		cb.transitionToOpenState();
		cb.transitionToHalfOpenState();
		cb.transitionToClosedState();
		List<Post> posts = delivered(5);
		assertThat(posts).hasSize(5);
		assertThat(posts.get(0).threadTs()).isNull();
		assertThat(posts.subList(1, 5)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(4).broadcast()).isTrue();
	}

	@Test
	void forcedOpenWithoutThreadIsTopLevelAndTheNextOpenStartsTheThread() {
		CircuitBreaker cb = bound("payment");
		cb.transitionToForcedOpenState();
		cb.transitionToOpenState();
		cb.transitionToHalfOpenState();
		cb.transitionToClosedState();
		List<Post> posts = delivered(4);
		assertThat(posts).hasSize(4);
		assertThat(posts.get(0).transition()).isEqualTo("CLOSED → FORCED_OPEN");
		assertThat(posts.get(0).title()).isEqualTo("ℹ️ Circuit Breaker State Changed");
		assertThat(posts.get(0).threadTs()).isNull();
		assertThat(posts.get(1).transition()).isEqualTo("FORCED_OPEN → OPEN");
		assertThat(posts.get(1).threadTs()).as("the transition into OPEN posts the root").isNull();
		assertThat(posts.subList(2, 4)).extracting(Post::threadTs).containsOnly(posts.get(1).ts());
		assertThat(posts.get(3).broadcast()).isTrue();
	}

	@Test
	void parallelNaturalCyclesAreEachToldInFullAndNothingIsCoalescedOrDigested() throws Exception {
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowSize(2)
			.minimumNumberOfCalls(2)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofMillis(50))
			.permittedNumberOfCallsInHalfOpenState(1)
			.build();
		int breakers = 20;
		ExecutorService callers = Executors.newFixedThreadPool(breakers);
		CountDownLatch start = new CountDownLatch(1);
		for (int i = 0; i < breakers; i++) {
			CircuitBreaker cb = CircuitBreaker.of("svc-" + i, config);
			this.listener.bindTo(cb);
			callers.submit(() -> {
				start.await();
				for (int cycle = 0; cycle < 2; cycle++) {
					call(cb, false);
					call(cb, false);
					Thread.sleep(80);
					call(cb, true);
				}
				return null;
			});
		}
		start.countDown();
		callers.shutdown();
		assertThat(callers.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
		List<Post> posts = delivered(breakers * 6);
		assertThat(posts).hasSize(breakers * 6);
		Map<String, List<Post>> byBreaker = posts.stream().collect(Collectors.groupingBy(Post::circuitBreaker));
		assertThat(byBreaker).hasSize(breakers);
		byBreaker.values().forEach((own) -> {
			assertThat(own).extracting(Post::transition)
				.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED", "CLOSED → OPEN",
						"OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
			assertThat(own).extracting(Post::threadTs)
				.containsExactly(null, own.get(0).ts(), own.get(0).ts(), null, own.get(3).ts(), own.get(3).ts());
		});
		assertThat(this.outcomes.coalesced).isEmpty();
		assertThat(this.outcomes.digested).isEmpty();
		assertThat(this.outcomes.delivered).hasSize(breakers * 6);
	}

	private static void call(CircuitBreaker circuitBreaker, boolean succeed) {
		Consumer<Boolean> outcome = (ok) -> {
			if (!ok) {
				throw new IllegalStateException("provider down");
			}
		};
		try {
			circuitBreaker.executeRunnable(() -> outcome.accept(succeed));
		}
		catch (RuntimeException ex) {
			// a failed or refused call, as the breaker counts it
		}
	}

}
