package dev.fluxgate.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.fluxgate.slack.SlackStandIn.Post;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Staying within Slack's rate limit: each channel paced on its own, and a flapping breaker told in one reply.
 */
class PacingAndCoalescingTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final DeliveryTests.Outcomes outcomes = new DeliveryTests.Outcomes();

	private AsyncSlackListener listener;

	@AfterEach
	void close() {
		this.listener.close();
	}


	private AsyncSlackListener listener(ChannelPacer pacer, boolean coalescing) {
		this.listener = AsyncSlackListener.builder()
			.channel(SlackStandIn.CHANNEL)
			.token(SlackStandIn.TOKEN)
			.baseUrl(slack.baseUrl())
			.pacer(pacer)
			.coalescing(coalescing)
			.updateRoot(false)
			.channelResolver((name) -> name.startsWith("other") ? "C0OTHER" : SlackStandIn.CHANNEL)
			.observer(this.outcomes)
			.build();
		return this.listener;
	}

	private List<Long> postTimes(String channel) {
		List<ServeEvent> events = new ArrayList<>(slack.server().getAllServeEvents());
		return events.stream()
			.filter((event) -> event.getRequest().getBodyAsString().contains("\"channel\":\"" + channel + "\""))
			.map((event) -> event.getRequest().getLoggedDate().getTime())
			.sorted()
			.toList();
	}

	@Test
	void backlogIsSentAtThePacedRateInsteadOfAllAtOnce() {
		listener(new ChannelPacer(2, Duration.ofMillis(600)), false);
		for (int i = 0; i < 6; i++) {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment-" + i);
			this.listener.bindTo(circuitBreaker);
			circuitBreaker.transitionToOpenState();
		}
		await().until(() -> slack.posts().size() == 6);
		List<Long> times = postTimes(SlackStandIn.CHANNEL);
		assertThat(times.get(5) - times.get(0)).as("6 messages at 2 per 600 ms span two refills")
			.isGreaterThanOrEqualTo(1000);
		assertThat(times.get(1) - times.get(0)).as("a burst of 2 goes at once").isLessThan(400);
	}

	@Test
	void channelsArePacedIndependently() {
		listener(new ChannelPacer(1, Duration.ofSeconds(2)), false);
		for (String name : new String[] { "payment-1", "payment-2", "other-1" }) {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
			this.listener.bindTo(circuitBreaker);
			circuitBreaker.transitionToOpenState();
		}
		await().until(() -> slack.posts().size() == 3);
		List<Long> main = postTimes(SlackStandIn.CHANNEL);
		List<Long> other = postTimes("C0OTHER");
		assertThat(main.get(1) - main.get(0)).isGreaterThanOrEqualTo(1500);
		assertThat(other.get(0) - main.get(0)).as("the other channel does not wait").isLessThan(1000);
	}

	@Test
	void flappingBreakerIsToldInOneReplyAndItsCycleStillEnds() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		listener(null, true);
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		this.listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		for (int i = 0; i < 3; i++) {
			circuitBreaker.transitionToHalfOpenState();
			circuitBreaker.transitionToOpenState();
		}
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToClosedState();
		await().until(() -> this.listener.getPending() == 0);
		List<Post> posts = slack.posts();
		assertThat(posts).hasSize(3);
		assertThat(posts.get(0).transition()).isEqualTo("CLOSED → OPEN");
		assertThat(posts.get(1).section()).isEqualTo("*🔁 7 transitions (OPEN ⇄ HALF_OPEN) — now HALF_OPEN*");
		assertThat(posts.get(1).threadTs()).isEqualTo(posts.get(0).ts());
		assertThat(posts.get(2).transition()).isEqualTo("HALF_OPEN → CLOSED");
		assertThat(posts.get(2).broadcast()).isTrue();
		assertThat(this.outcomes.coalesced).hasSize(6);
		assertThat(this.outcomes.delivered.size() + this.outcomes.coalesced.size()).as("nothing lost").isEqualTo(9);
	}

	@Test
	void rootIsNeverCoalescedAway() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		listener(null, true);
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		this.listener.bindTo(circuitBreaker);
		for (int i = 0; i < 4; i++) {
			circuitBreaker.transitionToOpenState();
			circuitBreaker.transitionToClosedState();
		}
		await().until(() -> this.listener.getPending() == 0);
		assertThat(slack.posts()).hasSize(8);
		assertThat(this.outcomes.coalesced).isEmpty();
	}

}
