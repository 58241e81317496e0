package dev.fluxgate.slack;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the async listener from a thread of its own scheduler: the messages behind the one in flight go on
 * elsewhere, so close neither waits its whole timeout in vain nor drops them.
 */
class CloseOnTheListenersSchedulerTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onRealTime();

	private static final SlackStandIn slack = fixture.slack();

	private final Scheduler scheduler = Schedulers.newSingle("app-single");

	@AfterEach
	void dispose() {
		this.scheduler.dispose();
	}

	@Test
	void closeOnTheListenersOwnSchedulerDeliversWhatIsPendingWithoutWaitingTheWholeTimeout() throws Exception {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		AsyncSlackListener listener = fixture.use(fixture.configure(AsyncSlackListener.builder())
			.retryPolicy(ListenerMode.FAST_RETRIES)
			.closeTimeout(Duration.ofSeconds(4))
			.coalescing(false)
			.scheduler(this.scheduler)
			.build());
		CircuitBreaker circuitBreaker = fixture.bound("payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		fixture.runUntil(() -> slack.server().getAllServeEvents().size() >= 1);
		assertThat(listener.getPending()).isEqualTo(2);
		CompletableFuture<Long> took = new CompletableFuture<>();
		this.scheduler.schedule(() -> {
			long start = System.nanoTime();
			listener.close();
			took.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		});
		long millis = took.get(10, TimeUnit.SECONDS);
		assertThat(listener.getDropped())
			.as("close on the listener's scheduler waits for the message in flight and the one behind it (took %d ms)",
					millis)
			.isZero();
		assertThat(fixture.outcomes().delivered).hasSize(2);
	}

}
