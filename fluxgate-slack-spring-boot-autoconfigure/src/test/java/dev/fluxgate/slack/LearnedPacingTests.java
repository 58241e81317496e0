package dev.fluxgate.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.delivery.ChannelPacer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pacing learned from Slack: a channel sends freely until Slack answers 429, is held for {@code Retry-After}, then
 * sends at the sustained rate until its backlog is gone. Only then is a flapping breaker told in fewer messages. On
 * virtual time: the stand-in's rate limit and the listener share one clock.
 */
class LearnedPacingTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onVirtualTime();

	private final SlackStandIn slack = fixture.slack();

	private AsyncSlackListener listener;

	private AsyncSlackListener listener(ChannelPacer pacer) {
		this.listener = fixture.use(fixture.configure(AsyncSlackListener.builder())
			.pacer(pacer)
			.channelRouter((name) -> name.startsWith("other") ? "C0OTHER" : SlackStandIn.CHANNEL)
			.build());
		return this.listener;
	}

	private static CircuitBreaker bound(String name) {
		return fixture.bound(name);
	}

	private List<Long> acceptedTimes(String channel) {
		return this.slack.acceptedTimes(channel).stream().map(Instant::toEpochMilli).sorted().toList();
	}

	@Test
	void quickCyclesOfManyBreakersAreEachToldAtTheRateSlackAllowsWithOneRefusal() {
		fixture.enforceRateLimit(1, 5);
		listener(fixture.pacer(ChannelPacer.DEFAULT_RATE, ChannelPacer.DEFAULT_BURST));
		for (int i = 0; i < 12; i++) {
			CircuitBreaker cb = bound("svc-" + i);
			cb.transitionToOpenState();
			cb.transitionToHalfOpenState();
			cb.transitionToClosedState();
		}
		fixture.runUntil(() -> this.slack.delivered().size() >= 36 && this.listener.getPending() == 0);
		List<Post> posts = this.slack.delivered();
		assertThat(posts).hasSize(36);
		Map<String, List<Post>> byBreaker = posts.stream().collect(Collectors.groupingBy(Post::circuitBreaker));
		assertThat(byBreaker).hasSize(12).allSatisfy((name, own) -> {
			assertThat(own).extracting(Post::transition)
				.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
			assertThat(own.subList(1, 3)).extracting(Post::threadTs).containsOnly(own.get(0).ts());
			assertThat(own.get(2).broadcast()).isTrue();
		});
		assertThat(this.slack.rateLimited(SlackStandIn.CHANNEL)).as("the one refusal that teaches the rate").isLessThanOrEqualTo(1);
		assertThat(fixture.outcomes().coalesced).isEmpty();
		assertThat(fixture.outcomes().digested).isEmpty();
		List<Long> times = acceptedTimes(SlackStandIn.CHANNEL);
		for (int i = 1; i < times.size(); i++) {
			assertThat(times.get(i) - times.get(i - 1)).as("no pause longer than Retry-After plus the interval")
				.isLessThanOrEqualTo(2_500);
		}
	}

	@Test
	void flappingBreakerIsCoalescedOnceSlackLimitsTheChannelAndItsRecoveryIsStillBroadcast() {
		fixture.enforceRateLimit(1, 3);
		listener(fixture.pacer(ChannelPacer.DEFAULT_RATE, ChannelPacer.DEFAULT_BURST));
		CircuitBreaker cb = bound("payment");
		cb.transitionToOpenState();
		for (int i = 0; i < 30; i++) {
			cb.transitionToHalfOpenState();
			cb.transitionToOpenState();
		}
		cb.transitionToHalfOpenState();
		cb.transitionToClosedState();
		fixture.runUntil(() -> this.listener.getPending() == 0);
		List<Post> posts = this.slack.delivered();
		assertThat(posts).hasSizeLessThanOrEqualTo(12);
		assertThat(posts.get(0).threadTs()).isNull();
		assertThat(posts.subList(1, posts.size())).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		Post last = posts.get(posts.size() - 1);
		assertThat(last.transition()).isEqualTo("HALF_OPEN → CLOSED");
		assertThat(last.broadcast()).isTrue();
		assertThat(this.slack.rateLimited(SlackStandIn.CHANNEL)).isLessThanOrEqualTo(1);
		assertThat(fixture.outcomes().coalesced).isNotEmpty();
		assertThat(fixture.outcomes().delivered.size() + fixture.outcomes().coalesced.size()).as("nothing lost").isEqualTo(63);
	}

	@Test
	void channelsAreHeldIndependently() {
		fixture.enforceRateLimit(1, 1);
		// two at once against Slack's burst of one: on one clock, a pacer within Slack's limits is never refused
		listener(fixture.pacer(1, 2));
		bound("payment-1").transitionToOpenState();
		bound("payment-2").transitionToOpenState();
		fixture.runUntil(() -> this.slack.rateLimited(SlackStandIn.CHANNEL) == 1);
		bound("other-1").transitionToOpenState();
		fixture.runUntil(() -> acceptedTimes("C0OTHER").size() == 1);
		assertThat(acceptedTimes(SlackStandIn.CHANNEL)).as("the held channel is still waiting").hasSize(1);
		fixture.runUntil(() -> acceptedTimes(SlackStandIn.CHANNEL).size() == 2);
		assertThat(this.slack.rateLimited("C0OTHER")).isZero();
	}

	@Test
	void rootIsNeverCoalescedAway() {
		fixture.enforceRateLimit(4, 1);
		listener(fixture.pacer(4, 1));
		CircuitBreaker cb = bound("payment");
		for (int i = 0; i < 4; i++) {
			cb.transitionToOpenState();
			cb.transitionToClosedState();
		}
		fixture.runUntil(() -> this.listener.getPending() == 0);
		assertThat(this.slack.delivered()).hasSize(8);
		assertThat(fixture.outcomes().coalesced).isEmpty();
	}

	@Test
	void aChannelSlackNeverRefusedIsNotLimited() {
		ChannelPacer pacer = fixture.pacer(ChannelPacer.DEFAULT_RATE, ChannelPacer.DEFAULT_BURST);
		listener(pacer);
		for (int i = 0; i < 10; i++) {
			bound("svc-" + i).transitionToOpenState();
		}
		fixture.runUntil(() -> this.slack.delivered().size() == 10);
		assertThat(pacer.isLimited(SlackStandIn.CHANNEL)).isFalse();
	}

	@Test
	void aChannelAddressedByNameSharesThePaceOfItsId() {
		this.slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.json(
				"{\"ok\":true,\"channel\":\"" + SlackStandIn.CHANNEL + "\",\"ts\":\"1700000000.{{randomValue length=9 type='NUMERIC'}}\"}")
			.withTransformers("response-template")));
		ChannelPacer pacer = fixture.pacer(ChannelPacer.DEFAULT_RATE, ChannelPacer.DEFAULT_BURST);
		this.listener = fixture.use(fixture.configure(AsyncSlackListener.builder())
			.channel("#alerts")
			.pacer(pacer)
			.closeTimeout(Duration.ofMillis(500))
			.build());
		bound("payment").transitionToOpenState();
		fixture.runUntil(() -> fixture.outcomes().delivered.size() == 1);
		this.slack.stub(SlackStandIn.postMessage().atPriority(1)
			.willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(429).withHeader("Retry-After", "30")));
		bound("inventory").transitionToOpenState();
		fixture.runUntil(() -> this.slack.posts().size() >= 2);
		fixture.runUntil(() -> pacer.isLimited(SlackStandIn.CHANNEL), Duration.ofSeconds(5));
		assertThat(pacer.isLimited(SlackStandIn.CHANNEL)).as("the root to #alerts held the channel's ID").isTrue();
		assertThat(pacer.isLimited("#alerts")).isTrue();
		assertThat(this.slack.posts()).as("the refused root waits for Retry-After").hasSize(2);
	}

}
