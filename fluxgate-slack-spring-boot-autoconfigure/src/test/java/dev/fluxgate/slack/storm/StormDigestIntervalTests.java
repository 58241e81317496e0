package dev.fluxgate.slack.storm;

import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.VirtualClock;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.delivery.RetryPolicy;
import dev.fluxgate.slack.delivery.SlackPoster;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import dev.fluxgate.slack.thread.LocalThreadTracker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The storm digest's interval and the channel's hold on virtual time: breakers that trip while their limited channel
 * owes more than the threshold are absorbed at once, told exactly at the next interval, and that post waits for the
 * end of the channel's hold like any other.
 */
class StormDigestIntervalTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final ChannelPacer pacer = new ChannelPacer(1.0, 3, this.time);

	private final ChannelBacklog backlog = new ChannelBacklog(this.pacer);

	private final Queue<TransitionSnapshot> digested = new ConcurrentLinkedQueue<>();

	private final DeliveryObserver observer = new DeliveryObserver() {

		@Override
		public void digested(TransitionSnapshot snapshot) {
			StormDigestIntervalTests.this.digested.add(snapshot);
		}

	};

	private final StormDigest digest = new StormDigest(this.backlog, 5, Duration.ofSeconds(10), this.time,
			(name) -> false,
			new SlackPoster(WebClientSlackClient.builder().token(SlackStandIn.TOKEN).baseUrl(slack.baseUrl()).build(),
					this.pacer, RetryPolicy.DEFAULT, this.observer, VirtualClock.of(this.time), this.time),
			new DefaultMessageRenderer().digests(), new LocalThreadTracker(new InMemoryThreadStore(), (name) -> true),
			this.observer, null);

	@AfterEach
	void stop() {
		this.digest.close(Duration.ofMillis(100));
		this.time.dispose();
	}

	@Test
	void tripsInALimitedBackedUpChannelAreToldTogetherAtTheNextIntervalOnceTheHoldEnds() {
		this.pacer.acquire(SlackStandIn.CHANNEL, false).block().release(Duration.ofSeconds(15));
		this.backlog.queued(SlackStandIn.CHANNEL, 5);
		for (int i = 0; i < 3; i++) {
			assertThat(this.digest.absorb(trip("svc-" + i), SlackStandIn.CHANNEL, Templates.defaults())).isTrue();
		}
		assertThat(this.digested).hasSize(3);
		this.time.advanceTimeBy(Duration.ofMillis(9999));
		assertThat(slack.posts()).as("nothing before the interval").isEmpty();
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(slack.posts()).as("the flush waits for the channel's hold (15 s) and one interval").isEmpty();
		this.time.advanceTimeBy(Duration.ofSeconds(6));
		await().until(() -> slack.posts().size() == 1);
		assertThat(slack.posts().get(0).text()).startsWith("🚨 3 more circuit breakers opened: svc-0, svc-1, svc-2");
	}

	@Test
	void aChannelSlackNeverLimitedAbsorbsNothing() {
		this.backlog.queued(SlackStandIn.CHANNEL, 50);
		assertThat(this.digest.absorb(trip("svc"), SlackStandIn.CHANNEL, Templates.defaults())).isFalse();
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(slack.posts()).isEmpty();
	}

	private static TransitionSnapshot trip(String name) {
		return new TransitionSnapshot(name, Transition.of(State.CLOSED, State.OPEN), Instant.EPOCH);
	}

}
