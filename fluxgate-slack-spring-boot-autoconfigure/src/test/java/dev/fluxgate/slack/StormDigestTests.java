package dev.fluxgate.slack;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.message.DigestRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storm: more breakers trip than their channel can take. Beyond the backlog threshold they are told together in a
 * digest, kept up to date, and still accounted for. On virtual time: the stand-in's rate limit and the listener share
 * one clock.
 */
@ExtendWith(OutputCaptureExtension.class)
class StormDigestTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onVirtualTime();

	private static final SlackStandIn slack = fixture.slack();

	private AsyncSlackListener listener;

	/**
	 * A listener whose channel Slack rate-limits at 4 messages/s (a burst of 2), then four breakers tripped, enough
	 * for the first 429 from a pacer that sends three at once: the channel is limited when this returns.
	 */
	private void rateLimitedChannel(MessageRenderer renderer) {
		rateLimitedChannel(renderer, Duration.ofMillis(500));
	}

	private void rateLimitedChannel(MessageRenderer renderer, Duration digestBacklog) {
		rateLimitedChannel(renderer, digestBacklog, Templates.defaults());
	}

	private void rateLimitedChannel(MessageRenderer renderer, Duration digestBacklog, Templates templates) {
		fixture.enforceRateLimit(4, 2);
		// a pacer whose burst (3) is larger than Slack's (2): on one clock, a burst within Slack's is never refused
		ChannelPacer pacer = fixture.pacer(4, 3);
		this.listener = fixture.configure(AsyncSlackListener.builder())
			.timeout(Duration.ofSeconds(10))
			.closeTimeout(Duration.ofSeconds(1))
			.pacer(pacer)
			.renderer(renderer)
			.templates(templates)
			.digest(digestBacklog, Duration.ofMillis(500))
			.updateRoot(false)
			.build();
		fixture.use(this.listener);
		// Slack answers the first posts only once all four breakers have tripped, so that none trips after the 429;
		// and only once the pacer's three have reached it, at one instant of the clock, so that it refuses the third
		try (SlackStandIn.Hold held = slack.holdAnswers()) {
			tripped("first-", 4);
			assertThat(fixture.outcomes().digested).as("a channel Slack never refused has no backlog").isEmpty();
			slack.awaitPosts(3);
		}
		fixture.runUntil(() -> pacer.isLimited(SlackStandIn.CHANNEL));
	}

	@Test
	void breakersTrippingWhileTheirRateLimitedChannelIsBackedUpAreToldInADigest() {
		rateLimitedChannel(new DefaultMessageRenderer());

		List<CircuitBreaker> breakers = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("svc-" + i);
			this.listener.bindTo(circuitBreaker);
			breakers.add(circuitBreaker);
			circuitBreaker.transitionToOpenState();
		}
		assertThat(fixture.outcomes().digested).as("every trip while the limited channel owes more than 500 ms")
			.hasSize(30);
		fixture.runUntil(() -> slack.posts().stream()
			.anyMatch((post) -> post.text() != null && post.text().startsWith("🚨 30 more circuit breakers opened: svc-")));
		Post digest = slack.delivered().stream().filter((post) -> post.text().contains("more circuit breakers")).findFirst().get();
		fixture.runUntil(() -> this.listener.getThreadStore().findAll().collectList().block().size() == 34);
		assertThat(this.listener.getThreadStore().find("svc-29").blockOptional().get().threadTs()).isEqualTo(digest.ts());

		breakers.forEach(CircuitBreaker::transitionToHalfOpenState);
		fixture.runUntil(() -> slack.updates().stream().anyMatch((update) -> update.rawBody().contains("svc-29 — HALF_OPEN")));
		breakers.forEach(CircuitBreaker::transitionToClosedState);
		fixture.runUntil(() -> this.listener.getPending() == 0 && slack.delivered().stream()
			.anyMatch((post) -> post.text().startsWith("✅ 30 circuit breakers recovered")));
		Post recovery = slack.delivered().stream().filter((post) -> post.text().contains("circuit breakers recovered")).findFirst().get();
		assertThat(recovery.threadTs()).isEqualTo(digest.ts());
		assertThat(recovery.broadcast()).isTrue();
		fixture.runUntil(() -> this.listener.getThreadStore().findAll().collectList().block().size() == 4);

		assertThat(fixture.outcomes().delivered.size() + fixture.outcomes().coalesced.size() + fixture.outcomes().digested.size()
				+ fixture.outcomes().dropped.size() + fixture.outcomes().failed.size()).as("every transition accounted for").isEqualTo(4 + 90);
		assertThat(fixture.outcomes().digested).hasSize(90);
		assertThat(slack.delivered()).as("bounded: the first four, one digest and one recovery").hasSize(6);
	}

	@Test
	void breakersRemovedWhileOpenLeaveTheStormCountSoTheNextTripGetsItsOwnRootWithTheMention() {
		ChannelPacer pacer = fixture.pacer(5, 2); // two at once against Slack's burst of one: warm-2 is refused
		this.listener = fixture.configure(AsyncSlackListener.builder())
			.pacer(pacer)
			.digest(Duration.ofSeconds(2), Duration.ofSeconds(1))
			.renderer(new DefaultMessageRenderer("<!here>"))
			.updateRoot(false)
			.build();
		fixture.use(this.listener);
		io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry registry = io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry
			.ofDefaults();
		this.listener.bindTo(registry);
		for (int i = 0; i < 100; i++) {
			registry.circuitBreaker("old-" + i).transitionToOpenState();
		}
		fixture.runUntil(() -> this.listener.getPending() == 0);
		for (int i = 0; i < 100; i++) {
			registry.remove("old-" + i);
		}
		fixture.enforceRateLimit(5, 1);
		fixture.run(Duration.ofSeconds(1)); // the pacer's burst is whole again
		// both reach Slack at one instant of the clock, however slow the machine: one of them is refused
		try (SlackStandIn.Hold held = slack.holdAnswers()) {
			registry.circuitBreaker("warm-1").transitionToOpenState();
			registry.circuitBreaker("warm-2").transitionToOpenState();
			slack.awaitPosts(100 + 2);
		}
		fixture.runUntil(() -> pacer.isLimited(SlackStandIn.CHANNEL));

		registry.circuitBreaker("payment").transitionToOpenState();
		fixture.runUntil(() -> this.listener.getPending() == 0
				&& slack.delivered().stream().anyMatch((post) -> post.text().contains("payment")));
		assertThat(fixture.outcomes().digested).isEmpty();
		Post root = slack.delivered().stream().filter((post) -> post.text().contains("payment")).findFirst().get();
		assertThat(root.threadTs()).isNull();
		assertThat(root.section()).startsWith("<!here>");
	}

	@Test
	void aRenderingFailureLosesOneFlushButTheDigestGoesOn() {
		java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
		DigestRenderer digestsFailingOnce = new DigestRenderer(null) {
			@Override
			public dev.fluxgate.slack.client.ChatPostMessage renderDigestRoot(String channel, String title, String color,
					java.util.Map<String, CircuitBreaker.State> states) {
				if (failed.compareAndSet(false, true)) {
					throw new IllegalStateException("template engine down");
				}
				return super.renderDigestRoot(channel, title, color, states);
			}
		};
		MessageRenderer failingOnce = new DefaultMessageRenderer() {
			@Override
			public DigestRenderer digests() {
				return digestsFailingOnce;
			}
		};
		rateLimitedChannel(failingOnce);
		tripped("lost-", 5);
		fixture.runUntil(failed::get);
		tripped("later-", 3);
		fixture.runUntil(() -> slack.delivered().stream()
			.anyMatch((post) -> post.text().startsWith("🚨 3 more circuit breakers opened: later-")));
	}

	@Test
	void aMemberThatMovesWhileItsDigestRootIsOnItsWayIsAnnouncedOnceAtItsLatestState() {
		rateLimitedChannel(new DefaultMessageRenderer());
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("more circuit breakers opened"))
			.atPriority(1)
			.willReturn(SlackStandIn.ok().withFixedDelay(1500)));
		List<CircuitBreaker> members = tripped("member-", 3);
		assertThat(fixture.outcomes().digested).hasSize(3);
		fixture.run(Duration.ofMillis(800));
		members.forEach(CircuitBreaker::transitionToHalfOpenState);
		fixture.runUntil(() -> slack.updates().stream()
			.anyMatch((update) -> update.rawBody().contains("member-2 — HALF_OPEN")) || slack.delivered().stream()
				.anyMatch((post) -> post.rawBody().contains("member-2 — HALF_OPEN")));
		fixture.run(Duration.ofSeconds(2));
		assertThat(slack.posts().stream().filter((post) -> post.text().contains("more circuit breakers opened")))
			.as("announced once").hasSize(1);
		assertThat(this.listener.getThreadStore().find("member-2").blockOptional()).get()
			.satisfies((thread) -> assertThat(thread.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN));
	}

	@Test
	void aDigestStepThatFailsIsRetriedOnceThenCountedFailedAndTheStepsAfterItAreStillPosted(CapturedOutput output) {
		rateLimitedChannel(new DefaultMessageRenderer());
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("more circuit breakers opened"))
			.inScenario("root")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("answered once")
			.atPriority(1)
			.willReturn(aResponse().withStatus(503)));
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("circuit breakers recovered"))
			.atPriority(1)
			.willReturn(aResponse().withStatus(500)));
		List<CircuitBreaker> members = tripped("member-", 3);
		assertThat(fixture.outcomes().digested).hasSize(3);
		fixture.runUntil(() -> slack.delivered().stream()
			.anyMatch((post) -> post.text().startsWith("🚨 3 more circuit breakers opened")));
		assertThat(slack.posts().stream().filter((post) -> post.text().contains("more circuit breakers opened")))
			.as("the root, refused once with 503, then retried once").hasSize(2);

		members.forEach(CircuitBreaker::transitionToClosedState);
		fixture.runUntil(() -> fixture.outcomes().failed.size() == 3);
		assertThat(slack.posts().stream().filter((post) -> post.text().contains("circuit breakers recovered")))
			.as("the recovery, refused with 500, retried once").hasSize(2);
		assertThat(fixture.outcomes().failed).allSatisfy((failure) -> assertThat(failure.getError()).isEqualTo("http_500"));
		fixture.runUntil(() -> output.getAll().contains("Could not post the recovery of 3 breakers"));

		CircuitBreaker after = CircuitBreaker.ofDefaults("after");
		this.listener.bindTo(after);
		after.transitionToOpenState();
		fixture.runUntil(() -> slack.delivered().stream()
			.anyMatch((post) -> post.rawBody().contains("after")));
	}

	@Test
	void aBreakerWithMessagesWaitingInItsLaneStaysThereWhenItTripsAgainInAStorm() {
		// 3 s at 4 messages/s: a storm from 12 owed messages, more than the first four breakers and "queued" owe,
		// fewer than eight more trips add
		rateLimitedChannel(new DefaultMessageRenderer(), Duration.ofSeconds(3));
		CircuitBreaker queued = CircuitBreaker.ofDefaults("queued");
		this.listener.bindTo(queued);
		queued.transitionToOpenState();
		tripped("more-", 8);
		assertThat(fixture.outcomes().digested).as("the channel is in a storm").isNotEmpty();
		queued.transitionToClosedState();
		queued.transitionToOpenState();
		assertThat(fixture.outcomes().digested).extracting(TransitionSnapshot::circuitBreaker)
			.as("a breaker whose lane holds messages belongs to its lane")
			.doesNotContain("queued");
		fixture.runUntil(() -> this.listener.getPending() == 0
				&& slack.delivered().stream().filter(StormDigestTests::ofQueued).count() == 3);
		List<Post> posts = slack.delivered().stream().filter(StormDigestTests::ofQueued).toList();
		assertThat(posts).extracting(Post::transition).containsExactly("CLOSED → OPEN", "OPEN → CLOSED", "CLOSED → OPEN");
		assertThat(posts.get(1).threadTs()).isEqualTo(posts.get(0).ts());
		assertThat(posts.get(2).threadTs()).isNull();
	}

	@Test
	void closingDuringAStormCountsTheDigestContentItCouldNotPostAsDropped(CapturedOutput output) {
		rateLimitedChannel(new DefaultMessageRenderer());
		tripped("member-", 3);
		assertThat(fixture.outcomes().digested).hasSize(3);
		try (SlackStandIn.Hold rootOnItsWay = slack.holdAnswersTo("more circuit breakers opened")) {
			fixture.runUntil(() -> slack.posts().stream()
				.anyMatch((post) -> post.text().contains("more circuit breakers opened")));
			this.listener.close();
		}
		assertThat(fixture.outcomes().dropped).as("the digest root that was still on its way at shutdown")
			.extracting(TransitionSnapshot::circuitBreaker)
			.containsExactlyInAnyOrder("member-0", "member-1", "member-2");
		assertThat(output.getAll()).contains("3 transitions");
	}

	@Test
	void aDigestIsWordedFromTheTemplates() {
		rateLimitedChannel(new DefaultMessageRenderer(), Duration.ofMillis(500), Templates.defaults()
			.withDigest(new Template("🚨 서킷 브레이커 {count}개 추가 작동", "#AA0000", "-"),
					new Template("✅ 서킷 브레이커 {count}개 복구", "#00AA00", "-")));
		List<CircuitBreaker> members = tripped("member-", 3);
		assertThat(fixture.outcomes().digested).hasSize(3);
		// all three recover while their root is on its way: one flush tells them, whatever the machine's speed
		try (SlackStandIn.Hold rootOnItsWay = slack.holdAnswersTo("추가 작동")) {
			fixture.runUntil(() -> slack.posts().stream()
				.anyMatch((post) -> post.text().startsWith("🚨 서킷 브레이커 3개 추가 작동: member-")));
			members.forEach(CircuitBreaker::transitionToClosedState);
		}
		Post root = slack.delivered().stream().filter((post) -> post.text().contains("추가 작동")).findFirst().get();
		assertThat(root.color()).isEqualTo("#AA0000");
		fixture.runUntil(() -> slack.delivered().stream()
			.anyMatch((post) -> post.text().startsWith("✅ 서킷 브레이커 3개 복구")));
		Post recovery = slack.delivered().stream().filter((post) -> post.text().contains("개 복구")).findFirst().get();
		assertThat(recovery.color()).isEqualTo("#00AA00");
		assertThat(recovery.threadTs()).isEqualTo(root.ts());
	}

	@Test
	void membersRecoveringAsTheirDigestRootIsAnsweredAreToldRecoveredInItsThread() {
		rateLimitedChannel(new DefaultMessageRenderer());
		// enough members that taking the root's answer is a step long enough for recoveries to run into
		List<CircuitBreaker> members = tripped("member-", 1000);
		assertThat(fixture.outcomes().digested).hasSize(1000);
		Deque<CircuitBreaker> recovering = new ArrayDeque<>(members);
		try (SlackStandIn.Hold rootOnItsWay = slack.holdAnswersTo("more circuit breakers opened")) {
			fixture.runUntil(() -> slack.posts().stream()
				.anyMatch((post) -> post.text().startsWith("🚨 1000 more circuit breakers opened")));
		}
		// one by one, the last first, as the listener takes the root's answer and makes the members its thread's:
		// some recover before that step, some while it runs, the rest after
		while (!recovering.isEmpty() && this.listener.getThreadStore().find("member-0").blockOptional().isEmpty()) {
			recovering.pollLast().transitionToClosedState();
		}
		recovering.descendingIterator().forEachRemaining(CircuitBreaker::transitionToClosedState);
		fixture.runUntil(() -> this.listener.getPending() == 0 && recovered(slack.delivered()) == 1000);
		Post root = slack.delivered().stream().filter((post) -> post.text().contains("more circuit breakers")).findFirst().get();
		assertThat(slack.delivered()).filteredOn((post) -> post.text().contains("circuit breakers recovered"))
			.as("every recovery told in the root's thread, none on its own")
			.allSatisfy((recovery) -> assertThat(recovery.threadTs()).isEqualTo(root.ts()));
	}

	/** How many breakers the recoveries among the given posts tell. */
	private static int recovered(List<Post> posts) {
		return posts.stream()
			.filter((post) -> post.text().startsWith("✅ "))
			.mapToInt((post) -> Integer.parseInt(post.text().substring(2, post.text().indexOf(' ', 2))))
			.sum();
	}

	/** Breakers bound to the listener and tripped, named prefix-0, prefix-1, … */
	private List<CircuitBreaker> tripped(String prefix, int count) {
		List<CircuitBreaker> breakers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(prefix + i);
			this.listener.bindTo(circuitBreaker);
			circuitBreaker.transitionToOpenState();
			breakers.add(circuitBreaker);
		}
		return breakers;
	}

	private static boolean ofQueued(Post post) {
		return post.field(0) != null && "queued".equals(post.circuitBreaker());
	}

}
