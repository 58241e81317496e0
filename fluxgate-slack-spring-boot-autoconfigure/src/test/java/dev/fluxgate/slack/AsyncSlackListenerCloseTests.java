package dev.fluxgate.slack;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the async listener: it waits for what is pending, whatever thread closes it.
 */
class AsyncSlackListenerCloseTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onRealTime();

	private static final SlackStandIn slack = fixture.slack();

	private AsyncSlackListener listener(Duration closeTimeout) {
		return fixture.use(fixture.configure(AsyncSlackListener.builder())
			.retryPolicy(ListenerMode.FAST_RETRIES)
			.closeTimeout(closeTimeout)
			.coalescing(false)
			.build());
	}

	@Test
	void closeOnANonBlockingThreadStillDeliversWhatIsPending() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		AsyncSlackListener listener = listener(Duration.ofSeconds(5));
		CircuitBreaker circuitBreaker = fixture.bound("payment");
		circuitBreaker.transitionToOpenState();
		fixture.runUntil(() -> fixture.outcomes().delivered.size() == 1);
		circuitBreaker.transitionToHalfOpenState();
		fixture.runUntil(() -> slack.server().getAllServeEvents().size() >= 2);
		assertThat(listener.getPending()).isEqualTo(1);
		// as a WebFlux application or a reactive shutdown hook would: on one of Reactor's non-blocking threads
		Mono.fromRunnable(listener::close).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
		assertThat(listener.getDropped()).as("close waits for the message in flight (closeTimeout 5 s)").isZero();
		assertThat(fixture.outcomes().delivered).hasSize(2);
	}

}
