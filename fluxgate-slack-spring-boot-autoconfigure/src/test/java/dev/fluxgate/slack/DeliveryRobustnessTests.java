package dev.fluxgate.slack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing a collaborator throws, and nothing Slack answers, stops delivery or loses a message uncounted; nothing the
 * caller waits for outlives its deadline.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryRobustnessTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onRealTime();

	private static final SlackStandIn slack = fixture.slack();

	private AbstractSlackListener listener;

	private <B extends AbstractSlackListener.Builder<B>> B configure(B builder) {
		return fixture.configure(builder).timeout(Duration.ofMillis(500)).retryPolicy(ListenerMode.FAST_RETRIES);
	}

	private <L extends AbstractSlackListener> L use(L listener) {
		this.listener = fixture.use(listener);
		return listener;
	}

	private static CircuitBreaker bound(String name) {
		return fixture.bound(name);
	}

	@Test
	void laneGoesOnWhenTheThreadStoreFailsOnceAndTheFailureIsCounted(CapturedOutput output) {
		AtomicBoolean failed = new AtomicBoolean();
		ThreadStore flaky = new InMemoryThreadStore() {
			@Override
			public reactor.core.publisher.Mono<SlackThread> find(String circuitBreaker) {
				if (failed.compareAndSet(false, true)) {
					throw new IllegalStateException("store unreachable");
				}
				return super.find(circuitBreaker);
			}
		};
		use(configure(AsyncSlackListener.builder()).threadStore(flaky).build());
		CircuitBreaker payment = bound("payment");
		payment.transitionToOpenState();
		payment.transitionToHalfOpenState();
		bound("inventory").transitionToOpenState();
		await().until(() -> this.listener.getPending() == 0 && fixture.outcomes().delivered.size() == 2);
		assertThat(fixture.outcomes().failed).singleElement()
			.satisfies((failure) -> assertThat(failure.getMessage()).contains("store unreachable"));
		assertThat(output).contains("Could not deliver CLOSED → OPEN of circuit breaker 'payment'");
		assertThat(slack.delivered()).extracting(SlackStandIn.Post::circuitBreaker).contains("payment", "inventory");
	}

	@Test
	void aChannelResolverThatThrowsFallsBackToTheDefaultChannel(CapturedOutput output) {
		AtomicInteger calls = new AtomicInteger();
		use(configure(AsyncSlackListener.builder()).channelRouter((name) -> {
			if (calls.incrementAndGet() == 2) {
				throw new IllegalStateException("routing table unavailable");
			}
			return SlackStandIn.CHANNEL;
		}).build());
		CircuitBreaker payment = bound("payment");
		payment.transitionToOpenState();
		payment.transitionToHalfOpenState();
		bound("inventory").transitionToOpenState();
		await().until(() -> this.listener.getPending() == 0 && slack.delivered().size() == 3);
		assertThat(slack.delivered()).extracting(SlackStandIn.Post::channel).containsOnly(SlackStandIn.CHANNEL);
		assertThat(fixture.outcomes().failed).isEmpty();
		assertThat(output).contains("The channel resolver failed for circuit breaker 'payment'; posting to "
				+ SlackStandIn.CHANNEL, "routing table unavailable");
	}

	@Test
	void anObserverThatThrowsDoesNotChangeWhatBecomesOfAMessage(CapturedOutput output) {
		DeliveryObserver throwing = new DeliveryObserver() {
			@Override
			public void requested(String method, Duration took, String outcome) {
				throw new IllegalStateException("metrics backend down");
			}
		};
		use(configure(SlackListener.builder())
			.observer(DeliveryObserver.of(List.of(fixture.outcomes(), throwing)))
			.build());
		bound("payment").transitionToOpenState();
		assertThat(fixture.outcomes().delivered).hasSize(1);
		assertThat(fixture.outcomes().failed).isEmpty();
		assertThat(this.listener.getThreadStore().find("payment").blockOptional()).isPresent();
		assertThat(output).contains("failed in requested; the message is not affected", "metrics backend down");
	}

	@Test
	void retryAfterBeyondTheCapGivesTheMessageUpInsteadOfParkingIt(CapturedOutput output) {
		slack.stub(SlackStandIn.postMessage().atPriority(1)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
		use(configure(AsyncSlackListener.builder()).build());
		bound("payment").transitionToOpenState();
		await().atMost(Duration.ofSeconds(5)).until(() -> fixture.outcomes().failed.size() == 1);
		assertThat(slack.posts()).hasSize(1);
		assertThat(fixture.outcomes().failed).extracting((failure) -> failure.getError()).containsExactly("ratelimited");
		assertThat(output).contains("Slack asked to wait PT1H (Retry-After)").contains("max-retry-after");
	}

	@Test
	void syncTripsWithPacingEachReturnWithinTheDeadline() {
		use(configure(SlackListener.builder()).deadline(Duration.ofSeconds(1))
			.pacer(new ChannelPacer(1, 1))
			.build());
		for (int i = 0; i < 5; i++) {
			long start = System.nanoTime();
			bound("svc-" + i).transitionToOpenState();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
		}
		assertThat(fixture.outcomes().failed).isEmpty();
		assertThat(slack.delivered()).hasSize(5);
	}

	@Test
	void asyncListenerKeepsNothingOfBreakersThatCameAndWent() {
		AsyncSlackListener async = use(configure(AsyncSlackListener.builder()).queueCapacity(3_000)
			.timeout(Duration.ofSeconds(30))
			.pacer(new ChannelPacer(1, 200))
			.build());
		io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry registry = io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry
			.ofDefaults();
		async.bindTo(registry);
		for (int i = 0; i < 1_000; i++) {
			CircuitBreaker circuitBreaker = registry.circuitBreaker("tenant-" + i);
			circuitBreaker.transitionToOpenState();
			circuitBreaker.transitionToClosedState();
		}
		await().atMost(Duration.ofSeconds(120)).until(() -> async.getPending() == 0);
		for (int i = 0; i < 1_000; i++) {
			registry.remove("tenant-" + i);
		}
		assertThat(async.laneCount()).isZero();
		assertThat(async.getThreadStore().findAll().collectList().block()).isEmpty();
		assertThat(fixture.outcomes().delivered).hasSize(2_000);
	}

	@Test
	void syncListenerKeepsNothingOfBreakersThatCameAndWent() {
		SlackListener sync = use(configure(SlackListener.builder()).build());
		for (int i = 0; i < 200; i++) {
			CircuitBreaker circuitBreaker = bound("tenant-" + i);
			circuitBreaker.transitionToOpenState();
			circuitBreaker.transitionToClosedState();
		}
		await().until(() -> sync.pendingCount() == 0);
		assertThat(sync.getThreadStore().findAll().collectList().block()).isEmpty();
	}

	@Test
	void syncListenerOnANonBlockingThreadKeepsTheBreakersOrder() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		use(configure(SlackListener.builder()).build());
		CircuitBreaker payment = bound("payment");
		reactor.core.publisher.Mono.fromRunnable(() -> {
			payment.transitionToOpenState();
			payment.transitionToHalfOpenState();
			payment.transitionToOpenState();
		}).subscribeOn(reactor.core.scheduler.Schedulers.parallel()).block();
		await().until(() -> slack.delivered().size() == 3);
		List<SlackStandIn.Post> posts = slack.delivered();
		assertThat(posts).extracting(SlackStandIn.Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → OPEN");
		assertThat(posts.subList(1, 3)).extracting(SlackStandIn.Post::threadTs).containsOnly(posts.get(0).ts());
	}

	@Test
	void asyncRootStillQueuedWhenItsBreakerIsReleasedLeavesNoThread() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		AsyncSlackListener async = use(configure(AsyncSlackListener.builder()).timeout(Duration.ofSeconds(5)).build());
		io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry registry = io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry
			.ofDefaults();
		async.bindTo(registry);
		CircuitBreaker tenant = registry.circuitBreaker("tenant-1");
		tenant.transitionToOpenState();
		tenant.transitionToHalfOpenState();
		registry.remove("tenant-1");
		await().until(() -> async.getPending() == 0 && slack.delivered().size() == 2);
		assertThat(async.getThreadStore().findAll().collectList().block()).as("threads of released breakers").isEmpty();
	}

	@Test
	void syncRootInFlightWhenItsBreakerIsReleasedLeavesNoThread() throws Exception {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		SlackListener sync = use(configure(SlackListener.builder()).build());
		io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry registry = io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry
			.ofDefaults();
		sync.bindTo(registry);
		CircuitBreaker tenant = registry.circuitBreaker("tenant-1");
		Thread tripping = new Thread(tenant::transitionToOpenState);
		tripping.start();
		await().until(() -> slack.posts().size() == 1);
		registry.remove("tenant-1");
		tripping.join();
		await().until(() -> sync.pendingCount() == 0);
		assertThat(sync.getThreadStore().findAll().collectList().block()).as("threads of released breakers").isEmpty();
	}

}
