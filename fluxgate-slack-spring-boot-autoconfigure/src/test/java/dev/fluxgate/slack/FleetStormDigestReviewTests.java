package dev.fluxgate.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.storm.InMemoryDigestStore;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of issue 21 (one storm, one digest) on virtual time, over the in-memory shared stores: three replicas share
 * one thread store and one digest store, as in {@code FleetStormDigestTests}. Each test is a promise of the README's
 * "Several replicas" or docs/fleet.md's "One storm, one digest" that the change does not keep.
 */
class FleetStormDigestReviewTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onVirtualTime();

	private static final SlackStandIn slack = fixture.slack();

	private static final Duration INTERVAL = Duration.ofSeconds(2);

	private InMemoryDigestStore digests;

	private InMemoryThreadStore threads;

	private final List<AsyncSlackListener> replicas = new ArrayList<>();

	@BeforeEach
	void fleet() {
		this.digests = new InMemoryDigestStore(fixture.clock());
		this.threads = InMemoryThreadStore.shared(fixture.clock());
		for (int i = 1; i <= 3; i++) {
			this.replicas.add(replica("replica-" + i));
		}
	}

	private AsyncSlackListener replica(String instance) {
		return fixture.use(fixture.configure(AsyncSlackListener.builder())
			.pacer(fixture.pacer(4, 3))
			.threadStore(this.threads)
			.digestStore(this.digests)
			.fleet(instance, Duration.ofSeconds(10))
			.digest(Duration.ofMillis(500), INTERVAL)
			.updateRoot(false)
			.build());
	}

	/**
	 * A replica that shuts down (or crashes) during the storm leaves its breaker's member OPEN in the digest. The docs
	 * say a replica silent for three intervals no longer counts among the instances, and that a breaker counts as
	 * recovered when its last instance recovers: once the surviving replica's instance recovered and the gone one
	 * stopped counting, the breaker should be told recovered and the storm should end. It never is: the entry is no
	 * longer pending, so no flush ever looks at it again, and the storm never ends (in Redis: until the thread TTL, 7
	 * days by default), so every later trip in the channel goes to this digest.
	 */
	@Test
	void aBreakerWhoseOtherInstanceIsGoneIsToldRecoveredOnceItsLastLiveInstanceRecovers() {
		stormStartedOnTheFirstReplica();
		List<CircuitBreaker> payment = new ArrayList<>(trip(replica(1), "payment", 1));
		theOtherReplicasLearnOfTheStorm();
		payment.addAll(trip(replica(2), "payment", 1));
		fixture.runUntil(() -> mentions("payment0 — OPEN on 2 instances"));

		// replica 2 goes away during the storm, its breaker still open (a pod stopped by a deploy): it leaves the digest
		int updatesBefore = slack.updates().size();
		replica(2).close();
		fixture.runUntil(() -> slack.updates()
			.stream()
			.skip(updatesBefore)
			.anyMatch((update) -> update.rawBody().contains("payment0 — OPEN on 1 instance")));
		payment.get(0).transitionToClosedState();

		// three intervals later replica 2 no longer counts; give it twice that
		fixture.run(INTERVAL.multipliedBy(8));
		assertThat(recoveries()).as("payment0's only live instance recovered, and the other one is gone for %s",
				INTERVAL.multipliedBy(8))
			.anySatisfy((post) -> assertThat(post.text()).contains("payment0"));
	}

	/**
	 * The consequence for users of the storm that never ends: long after every live instance recovered and the
	 * channel is calm, a lone breaker tripping is swallowed by the old storm's digest (a reply in a stale thread)
	 * instead of getting a thread of its own.
	 */
	@Test
	void afterTheStormALoneTripOnACalmChannelGetsAThreadOfItsOwn() {
		stormStartedOnTheFirstReplica();
		List<CircuitBreaker> payment = new ArrayList<>(trip(replica(1), "payment", 1));
		theOtherReplicasLearnOfTheStorm();
		payment.addAll(trip(replica(2), "payment", 1));
		fixture.runUntil(() -> mentions("payment0 — OPEN on 2 instances"));
		replica(2).close();
		payment.get(0).transitionToClosedState();
		// the channel drains and stays calm for a minute
		fixture.run(Duration.ofMinutes(1));

		int digestedBefore = fixture.outcomes().digested.size();
		trip(replica(1), "lonely", 1);
		fixture.run(INTERVAL.multipliedBy(2));
		assertThat(fixture.outcomes().digested.stream().skip(digestedBefore).map(TransitionSnapshot::circuitBreaker))
			.as("a lone trip a minute after the storm, on a calm channel, is not part of the storm")
			.doesNotContain("lonely0");
	}

	/**
	 * The same hole from the other side: a replica that starts during the storm (autoscaling in an outage) trips a
	 * breaker of the digest before its first turn tells it of the storm. Its trip finds the breaker's member-less
	 * digest thread and joins it as its only member; when its own instance recovers it is the "last member", and the
	 * breaker's recovery is broadcast while it is still OPEN on the two replicas the digest lists it on.
	 */
	@Test
	void aReplicaStartedDuringTheStormDoesNotBroadcastARecoveryWhileTheDigestStillListsTheBreakerOpen() {
		stormStartedOnTheFirstReplica();
		trip(replica(1), "payment", 1);
		theOtherReplicasLearnOfTheStorm();
		trip(replica(2), "payment", 1);
		fixture.runUntil(() -> mentions("payment0 — OPEN on 2 instances"));
		fixture.runUntil(() -> this.threads.find("payment0").blockOptional().isPresent());

		AsyncSlackListener newcomer = replica("replica-4");
		CircuitBreaker onNewcomer = trip(newcomer, "payment", 1).get(0);
		fixture.run(INTERVAL);
		onNewcomer.transitionToClosedState();
		fixture.run(INTERVAL.multipliedBy(3));
		assertThat(slack.delivered())
			.as("payment0 is still OPEN on replicas 1 and 2: no recovery is broadcast for it")
			.noneSatisfy((post) -> {
				assertThat(post.text()).endsWith(": payment0");
				assertThat(post.broadcast()).isTrue();
			});
	}

	/**
	 * The storm is 200 breakers on three replicas, and the root "lists the tripped breakers with how many
	 * instances each is failing on" and "its edits keep that list current". The list is one section block, which
	 * {@code Blocks.section} truncates at Slack's 3000 characters: about 80 lines of "• service-123 — OPEN on 3
	 * instances". With 100 breakers the root and every edit silently leave the last ones out.
	 */
	@Test
	void theRootListsEveryBreakerOfAHundredBreakerStorm() {
		stormStartedOnTheFirstReplica();
		trip(replica(1), "service-", 100);
		fixture.runUntil(() -> digestRoots().size() == 1);
		fixture.run(INTERVAL.multipliedBy(2));
		Post root = digestRoots().get(0);
		List<Post> edits = slack.updates().stream().filter((update) -> root.ts().equals(update.bodyTs())).toList();
		Post latest = edits.isEmpty() ? root : edits.get(edits.size() - 1);
		assertThat(latest.rawBody()).as("the root's latest version lists the storm's first and last breaker")
			.contains("service-0 — OPEN on 1 instance")
			.contains("service-99 — OPEN on 1 instance");
	}

	/**
	 * The whole fleet stops (a deployment deleted, a cluster drained): the flusher closes first, then the last
	 * replica, which has a trip appended since the last flush. Its close flushes only "the digests whose lease this
	 * replica holds"; the closed flusher never gave the lease back, so nobody flushes, and the trip is neither told
	 * nor counted dropped: it stays counted as digested.
	 */
	@Test
	void theLastReplicaToStopTellsWhatIsPendingOrCountsItDropped() {
		stormStartedOnTheFirstReplica();
		trip(replica(1), "svc-", 1);
		fixture.runUntil(() -> digestRoots().size() == 1);
		theOtherReplicasLearnOfTheStorm();
		replica(1).close();
		replica(3).close();

		trip(replica(2), "last-", 2);
		int droppedBefore = fixture.outcomes().dropped.size();
		replica(2).close();
		fixture.run(INTERVAL);
		boolean told = slack.delivered().stream().anyMatch((post) -> post.text().contains("last-0"));
		int dropped = fixture.outcomes().dropped.size() - droppedBefore;
		assertThat(told || dropped == 2)
			.as("the two trips of the last replica are told at its close, or counted dropped (told: %s, dropped: %d)",
					told, dropped)
			.isTrue();
	}

	/**
	 * Slack rate-limits the channel at 4 messages/s (a burst of 2); four breakers trip on the first replica while
	 * Slack holds its answers, so that its pacer's burst of three meets a 429: the first replica's channel is backed
	 * up, and the next trip there starts the fleet's storm. (As in FleetStormDigestTests.)
	 */
	private void stormStartedOnTheFirstReplica() {
		fixture.enforceRateLimit(4, 2);
		try (SlackStandIn.Hold held = slack.holdAnswers()) {
			trip(replica(1), "first-", 4);
		}
		fixture.runUntil(() -> this.replicas.get(0).pacer().isLimited(SlackStandIn.CHANNEL));
	}

	private static void theOtherReplicasLearnOfTheStorm() {
		fixture.run(INTERVAL.dividedBy(4));
	}

	private AsyncSlackListener replica(int number) {
		return this.replicas.get(number - 1);
	}

	private static boolean mentions(String line) {
		return slack.updates().stream().anyMatch((update) -> update.rawBody().contains(line))
				|| digestRoots().stream().anyMatch((post) -> post.rawBody().contains(line));
	}

	private static List<CircuitBreaker> trip(AsyncSlackListener replica, String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(prefix + i);
			replica.bindTo(circuitBreaker);
			circuitBreaker.transitionToOpenState();
			return circuitBreaker;
		}).toList();
	}

	private static List<Post> digestRoots() {
		return slack.delivered()
			.stream()
			.filter((post) -> post.threadTs() == null && post.text().contains("more circuit breakers opened"))
			.toList();
	}

	private static List<Post> recoveries() {
		return slack.delivered().stream().filter((post) -> post.text().contains("circuit breakers recovered")).toList();
	}

}
