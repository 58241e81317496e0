package dev.fluxgate.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.delivery.ChannelPacer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pacing learned from Slack: a channel sends freely until Slack answers 429, is held for {@code Retry-After}, then
 * sends at the sustained rate until its backlog is gone. Only then is a flapping breaker told in fewer messages.
 */
class LearnedPacingTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final RecordingObserver outcomes = new RecordingObserver();

	private AsyncSlackListener listener;

	@AfterEach
	void close() {
		this.listener.close();
	}

	private AsyncSlackListener listener(ChannelPacer pacer) {
		this.listener = slack.configure(AsyncSlackListener.builder())
			.pacer(pacer)
			.channelRouter((name) -> name.startsWith("other") ? "C0OTHER" : SlackStandIn.CHANNEL)
			.observer(this.outcomes)
			.build();
		return this.listener;
	}

	private CircuitBreaker bound(String name) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		this.listener.bindTo(circuitBreaker);
		return circuitBreaker;
	}

	private static List<Long> acceptedTimes(String channel) {
		return new ArrayList<>(slack.server().getAllServeEvents()).stream()
			.filter((event) -> event.getRequest().getUrl().endsWith("/chat.postMessage"))
			.filter((event) -> event.getResponse().getStatus() == 200)
			.filter((event) -> event.getRequest().getBodyAsString().contains("\"channel\":\"" + channel + "\""))
			.map(ServeEvent::getRequest)
			.map((request) -> request.getLoggedDate().getTime())
			.sorted()
			.toList();
	}

	@Test
	void quickCyclesOfManyBreakersAreEachToldAtTheRateSlackAllowsWithOneRefusal() {
		slack.enforceRateLimit(1, 5);
		listener(ChannelPacer.slackDefault());
		for (int i = 0; i < 12; i++) {
			CircuitBreaker cb = bound("svc-" + i);
			cb.transitionToOpenState();
			cb.transitionToHalfOpenState();
			cb.transitionToClosedState();
		}
		await().atMost(Duration.ofSeconds(45)).until(() -> slack.delivered().size() >= 36 && this.listener.getPending() == 0);
		List<Post> posts = slack.delivered();
		assertThat(posts).hasSize(36);
		Map<String, List<Post>> byBreaker = posts.stream().collect(Collectors.groupingBy(Post::circuitBreaker));
		assertThat(byBreaker).hasSize(12).allSatisfy((name, own) -> {
			assertThat(own).extracting(Post::transition)
				.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
			assertThat(own.subList(1, 3)).extracting(Post::threadTs).containsOnly(own.get(0).ts());
			assertThat(own.get(2).broadcast()).isTrue();
		});
		assertThat(slack.rateLimited(SlackStandIn.CHANNEL)).as("the one refusal that teaches the rate").isLessThanOrEqualTo(1);
		assertThat(this.outcomes.coalesced).isEmpty();
		assertThat(this.outcomes.digested).isEmpty();
		List<Long> times = acceptedTimes(SlackStandIn.CHANNEL);
		for (int i = 1; i < times.size(); i++) {
			assertThat(times.get(i) - times.get(i - 1)).as("no pause longer than Retry-After plus the interval")
				.isLessThanOrEqualTo(2_500);
		}
	}

	@Test
	void flappingBreakerIsCoalescedOnceSlackLimitsTheChannelAndItsRecoveryIsStillBroadcast() {
		slack.enforceRateLimit(1, 3);
		listener(ChannelPacer.slackDefault());
		CircuitBreaker cb = bound("payment");
		cb.transitionToOpenState();
		for (int i = 0; i < 30; i++) {
			cb.transitionToHalfOpenState();
			cb.transitionToOpenState();
		}
		cb.transitionToHalfOpenState();
		cb.transitionToClosedState();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.getPending() == 0);
		List<Post> posts = slack.delivered();
		assertThat(posts).hasSizeLessThanOrEqualTo(12);
		assertThat(posts.get(0).threadTs()).isNull();
		assertThat(posts.subList(1, posts.size())).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		Post last = posts.get(posts.size() - 1);
		assertThat(last.transition()).isEqualTo("HALF_OPEN → CLOSED");
		assertThat(last.broadcast()).isTrue();
		assertThat(slack.rateLimited(SlackStandIn.CHANNEL)).isLessThanOrEqualTo(1);
		assertThat(this.outcomes.coalesced).isNotEmpty();
		assertThat(this.outcomes.delivered.size() + this.outcomes.coalesced.size()).as("nothing lost").isEqualTo(63);
	}

	@Test
	void channelsAreHeldIndependently() {
		slack.enforceRateLimit(1, 1);
		listener(new ChannelPacer(1, 1));
		bound("payment-1").transitionToOpenState();
		bound("payment-2").transitionToOpenState();
		await().until(() -> slack.rateLimited(SlackStandIn.CHANNEL) == 1);
		bound("other-1").transitionToOpenState();
		await().until(() -> acceptedTimes("C0OTHER").size() == 1);
		assertThat(acceptedTimes(SlackStandIn.CHANNEL)).as("the held channel is still waiting").hasSize(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> acceptedTimes(SlackStandIn.CHANNEL).size() == 2);
		assertThat(slack.rateLimited("C0OTHER")).isZero();
	}

	@Test
	void rootIsNeverCoalescedAway() {
		slack.enforceRateLimit(4, 1);
		listener(new ChannelPacer(4, 1));
		CircuitBreaker cb = bound("payment");
		for (int i = 0; i < 4; i++) {
			cb.transitionToOpenState();
			cb.transitionToClosedState();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.listener.getPending() == 0);
		assertThat(slack.delivered()).hasSize(8);
		assertThat(this.outcomes.coalesced).isEmpty();
	}

	@Test
	void aChannelSlackNeverRefusedIsNotLimited() {
		ChannelPacer pacer = ChannelPacer.slackDefault();
		listener(pacer);
		for (int i = 0; i < 10; i++) {
			bound("svc-" + i).transitionToOpenState();
		}
		await().until(() -> slack.delivered().size() == 10);
		assertThat(pacer.isLimited(SlackStandIn.CHANNEL)).isFalse();
	}

	@Test
	void aChannelAddressedByNameSharesThePaceOfItsId() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.json(
				"{\"ok\":true,\"channel\":\"" + SlackStandIn.CHANNEL + "\",\"ts\":\"1700000000.{{randomValue length=9 type='NUMERIC'}}\"}")
			.withTransformers("response-template")));
		ChannelPacer pacer = ChannelPacer.slackDefault();
		this.listener = AsyncSlackListener.builder()
			.channel("#alerts")
			.token(SlackStandIn.TOKEN)
			.baseUrl(slack.baseUrl())
			.pacer(pacer)
			.observer(this.outcomes)
			.closeTimeout(Duration.ofMillis(500))
			.build();
		bound("payment").transitionToOpenState();
		await().until(() -> this.outcomes.delivered.size() == 1);
		slack.stub(SlackStandIn.postMessage().atPriority(1)
			.willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(429).withHeader("Retry-After", "30")));
		bound("inventory").transitionToOpenState();
		await().until(() -> slack.posts().size() >= 2);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pacer.isLimited(SlackStandIn.CHANNEL))
			.as("the root to #alerts held the channel's ID").isTrue());
		assertThat(pacer.isLimited("#alerts")).isTrue();
		assertThat(slack.posts()).as("the refused root waits for Retry-After").hasSize(2);
	}

}
