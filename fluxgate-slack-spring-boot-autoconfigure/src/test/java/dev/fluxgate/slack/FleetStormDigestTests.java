package dev.fluxgate.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
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
 * A storm on a fleet: three replicas share one thread store and one digest store, and the channel's storm is told once
 * for all of them, as one replica would tell it. On virtual time: the stand-in's rate limit, the replicas' turns and
 * the digest's interval share one clock.
 */
class FleetStormDigestTests {

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
	 * Slack rate-limits the channel at 4 messages/s (a burst of 2); four breakers trip on the first replica while
	 * Slack holds its answers, so that its pacer's burst of three meets a 429: the first replica's channel is backed
	 * up, and the next trip there starts the fleet's storm.
	 */
	private void stormStartedOnTheFirstReplica() {
		fixture.enforceRateLimit(4, 2);
		try (SlackStandIn.Hold held = slack.holdAnswers()) {
			trip(replica(1), "first-", 4);
		}
		fixture.runUntil(() -> this.replicas.get(0).pacer().isLimited(SlackStandIn.CHANNEL));
	}

	@Test
	void aStormOnThreeReplicasIsToldInOneDigestRootWithTheInstancesEachBreakerFailsOn() {
		stormStartedOnTheFirstReplica();
		List<CircuitBreaker> first = trip(replica(1), "svc-", 10);
		fixture.runUntil(() -> digestRoots().size() == 1);
		List<CircuitBreaker> second = trip(replica(2), "svc-", 10);
		List<CircuitBreaker> third = trip(replica(3), "svc-", 10);
		fixture.runUntil(() -> slack.updates().stream().anyMatch((update) -> update.rawBody().contains("svc-9 — OPEN on 3 instances")));
		trip(replica(2), "late-", 3);
		fixture.runUntil(() -> followUps().stream().anyMatch((post) -> post.text().startsWith("🚨 3 more circuit breakers opened: late-")));
		fixture.run(INTERVAL.multipliedBy(2));

		assertThat(digestRoots()).as("one root for the storm, whichever replica tripped").hasSize(1);
		Post root = digestRoots().get(0);
		assertThat(root.text()).startsWith("🚨 10 more circuit breakers opened: svc-0");
		assertThat(followUps()).as("the later trips are named once, in the root's thread, not broadcast")
			.singleElement()
			.satisfies((post) -> {
				assertThat(post.threadTs()).isEqualTo(root.ts());
				assertThat(post.broadcast()).isFalse();
			});
		assertThat(fixture.outcomes().digested).as("every replica's trips").hasSize(33);
		assertThat(this.threads.findAll().collectList().block()).filteredOn((thread) -> thread.circuitBreaker().startsWith("svc-"))
			.hasSize(10)
			.allSatisfy((thread) -> assertThat(thread.threadTs()).isEqualTo(root.ts()));

		List<CircuitBreaker> all = new ArrayList<>(first);
		all.addAll(second);
		all.addAll(third);
		all.forEach(CircuitBreaker::transitionToClosedState);
		fixture.runUntil(() -> slack.delivered().stream().anyMatch((post) -> post.text().startsWith("✅ 10 circuit breakers recovered")));
		Post recovery = slack.delivered().stream().filter((post) -> post.text().startsWith("✅ 10 circuit breakers recovered")).findFirst().get();
		assertThat(recovery.threadTs()).isEqualTo(root.ts());
		assertThat(recovery.broadcast()).isTrue();
		assertThat(fixture.outcomes().digested).hasSize(63);
	}

	@Test
	void eachIntervalHasOneFlushWhateverTheNumberOfReplicas() {
		stormStartedOnTheFirstReplica();
		trip(replica(1), "svc-", 1);
		fixture.runUntil(() -> digestRoots().size() == 1);
		theOtherReplicasLearnOfTheStorm();
		for (int round = 0; round < 5; round++) {
			int before = followUps().size();
			for (AsyncSlackListener replica : this.replicas) {
				trip(replica, "round-" + round + "-" + this.replicas.indexOf(replica) + "-", 2);
			}
			fixture.run(INTERVAL.plus(INTERVAL.dividedBy(2)));
			assertThat(followUps().size() - before).as("round %d: one reply naming the six trips of three replicas", round)
				.isEqualTo(1);
		}
		assertThat(followUps()).allSatisfy((post) -> assertThat(post.text()).startsWith("🚨 6 more circuit breakers opened"));
	}

	@Test
	void aBreakerRecoversInTheDigestOnlyWhenItsLastInstanceRecovers() {
		stormStartedOnTheFirstReplica();
		List<CircuitBreaker> payment = new ArrayList<>(trip(replica(1), "payment", 1));
		theOtherReplicasLearnOfTheStorm();
		payment.addAll(trip(replica(2), "payment", 1));
		payment.addAll(trip(replica(3), "payment", 1));
		fixture.runUntil(() -> digestRoots().size() == 1 && slack.updates().stream()
			.anyMatch((update) -> update.rawBody().contains("payment0 — OPEN on 3 instances")) || digestRoots().stream()
			.anyMatch((post) -> post.rawBody().contains("payment0 — OPEN on 3 instances")));

		payment.get(0).transitionToClosedState();
		payment.get(1).transitionToClosedState();
		fixture.runUntil(() -> slack.updates().stream().anyMatch((update) -> update.rawBody().contains("payment0 — OPEN on 1 instance")));
		fixture.run(INTERVAL.multipliedBy(2));
		assertThat(recoveries()).as("two of three instances recovered: not yet").isEmpty();

		payment.get(2).transitionToClosedState();
		fixture.runUntil(() -> recoveries().size() == 1);
		assertThat(recoveries().get(0).text()).startsWith("✅ 1 circuit breakers recovered: payment0");
		fixture.runUntil(() -> this.threads.find("payment0").blockOptional().isEmpty());
	}

	@Test
	void whenTheFlusherStopsAnotherReplicaFlushesWithinOneInterval() {
		stormStartedOnTheFirstReplica();
		trip(replica(1), "svc-", 1);
		fixture.runUntil(() -> digestRoots().size() == 1);
		theOtherReplicasLearnOfTheStorm();
		trip(replica(2), "svc-", 1);
		trip(replica(3), "svc-", 1);
		AsyncSlackListener flusher = this.replicas.get(0);
		flusher.close();
		int before = followUps().size();
		trip(replica(2), "after-", 2);
		fixture.runUntil(() -> followUps().size() > before, INTERVAL.multipliedBy(2));
		assertThat(followUps().get(followUps().size() - 1).text()).startsWith("🚨 2 more circuit breakers opened: after-");
	}

	@Test
	void aFailedPostKeepsItsBreakersPendingForTheNextFlush() {
		stormStartedOnTheFirstReplica();
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(WireMock.containing("more circuit breakers opened"))
			.inScenario("root")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("refused")
			.atPriority(1)
			.willReturn(SlackStandIn.error("fatal_error")));
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(WireMock.containing("more circuit breakers opened"))
			.inScenario("root")
			.whenScenarioStateIs("refused")
			.willSetStateTo("refused again")
			.atPriority(1)
			.willReturn(SlackStandIn.error("fatal_error")));
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(WireMock.containing("more circuit breakers opened"))
			.inScenario("root")
			.whenScenarioStateIs("refused again")
			.willSetStateTo("refused thrice")
			.atPriority(1)
			.willReturn(SlackStandIn.error("fatal_error")));
		trip(replica(1), "kept-", 3);
		theOtherReplicasLearnOfTheStorm();
		trip(replica(2), "kept-", 3);
		fixture.runUntil(() -> digestRoots().size() == 1);
		assertThat(slack.posts().stream().filter((post) -> post.text().contains("more circuit breakers opened")).count())
			.as("refused while Slack failed, then posted").isGreaterThan(1);
		assertThat(digestRoots().get(0).rawBody()).contains("kept-0 — OPEN on 2 instances", "kept-2 — OPEN on 2 instances");
	}

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
	 * A breaker with a thread of its own on one replica whose trip went to the digest on another: the second replica
	 * joins the thread, the first's recovery is no outage's end, and the second's, once its heartbeat leaves the
	 * cycle, is.
	 */
	@Test
	void aBreakerWithAThreadOfItsOwnIsNotBroadcastRecoveredWhileItStillFailsOnAReplicaThatToldItInTheDigest() {
		CircuitBreaker onFirst = trip(replica(1), "payment", 1).get(0);
		fixture.runUntil(() -> slack.delivered().stream().anyMatch((post) -> post.threadTs() == null && post.text().endsWith(": payment0")));
		stormStartedOnTheFirstReplica();
		trip(replica(1), "svc-", 3);
		fixture.runUntil(() -> digestRoots().size() == 1);
		theOtherReplicasLearnOfTheStorm();
		CircuitBreaker onSecond = trip(replica(2), "payment", 1).get(0);
		assertThat(fixture.outcomes().digested.stream().map(TransitionSnapshot::circuitBreaker))
			.as("replica 2's trip of payment0 goes to the fleet's storm digest")
			.contains("payment0");
		fixture.runUntil(() -> this.threads.findAll()
			.collectList()
			.block()
			.stream()
			.anyMatch((thread) -> thread.circuitBreaker().equals("payment0")
					&& thread.fleet().members().containsKey("replica-2")));

		onFirst.transitionToClosedState();
		fixture.run(INTERVAL.multipliedBy(3));
		assertThat(slack.delivered()).as("payment0 is still OPEN on replica 2: no recovery is broadcast for it")
			.noneSatisfy((post) -> {
				assertThat(post.text()).endsWith(": payment0");
				assertThat(post.broadcast()).isTrue();
			});

		onSecond.transitionToClosedState();
		fixture.runUntil(() -> slack.delivered()
			.stream()
			.anyMatch((post) -> post.rawBody().contains("its last instance, replica-2, recovered")));
		assertThat(slack.delivered()).as("the outage's end is its recovery, sent to the channel too")
			.filteredOn((post) -> post.rawBody().contains("its last instance, replica-2, recovered"))
			.singleElement()
			.satisfies((post) -> assertThat(post.broadcast()).isTrue());
		assertThat(this.threads.findAll().collectList().block()).as("the cycle ended")
			.noneMatch((thread) -> thread.circuitBreaker().equals("payment0"));
	}

	/**
	 * Replica 1 tripped payment0 before the storm and its root waits its turn behind Slack's 429; replica 2's trip of
	 * payment0 goes to the digest, and replica 2 joins the claim at its next heartbeat: replica 1's recovery is no
	 * outage's end while payment0 still fails on replica 2.
	 */
	@Test
	void aReplicaWhoseTripGoesToTheDigestWhileAnotherReplicasRootIsOnItsWayIsInThatThread() {
		fixture.enforceRateLimit(4, 2);
		CircuitBreaker onFirst;
		try (SlackStandIn.Hold held = slack.holdAnswers()) {
			trip(replica(1), "first-", 4);
			onFirst = trip(replica(1), "payment", 1).get(0);
		}
		fixture.runUntil(() -> this.replicas.get(0).pacer().isLimited(SlackStandIn.CHANNEL));
		assertThat(slack.posts()).as("payment0's root still waits its turn").noneMatch((post) -> post.rawBody().contains("payment0"));
		CircuitBreaker onSecond;
		try (SlackStandIn.Hold held = slack.holdAnswersTo("payment0")) {
			theOtherReplicasLearnOfTheStorm();
			theOtherReplicasLearnOfTheStorm();
			onSecond = trip(replica(2), "payment", 1).get(0);
			fixture.run(Duration.ofMillis(200));
			assertThat(fixture.outcomes().digested.stream().map(TransitionSnapshot::circuitBreaker))
				.as("replica 2's trip of payment0 goes to the fleet's storm digest")
				.contains("payment0");
			assertThat(this.threads.find("payment0").block().isClaim())
				.as("replica 1's root of payment0 is still on its way")
				.isTrue();
		}
		fixture.runUntil(() -> this.threads.find("payment0").blockOptional().filter((thread) -> !thread.isClaim()).isPresent());
		fixture.run(Duration.ofSeconds(30));

		onFirst.transitionToClosedState();
		fixture.runUntil(() -> Stream
			.concat(fixture.outcomes().coalesced.stream(), fixture.outcomes().delivered.stream())
			.anyMatch((snapshot) -> snapshot.circuitBreaker().equals("payment0")
					&& snapshot.transition().to() == CircuitBreaker.State.CLOSED));
		assertThat(onSecond.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(slack.delivered()).as("payment0 is still OPEN on replica 2: no recovery is broadcast for it")
			.noneSatisfy((post) -> {
				assertThat(post.text()).endsWith(": payment0");
				assertThat(post.broadcast()).isTrue();
			});
	}

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

	/** Each replica learns whether the fleet is in a storm when it takes its turn, four times an interval. */
	private static void theOtherReplicasLearnOfTheStorm() {
		fixture.run(INTERVAL.dividedBy(4));
	}

	private static boolean mentions(String line) {
		return slack.updates().stream().anyMatch((update) -> update.rawBody().contains(line))
				|| digestRoots().stream().anyMatch((post) -> post.rawBody().contains(line));
	}


	private AsyncSlackListener replica(int number) {
		return this.replicas.get(number - 1);
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

	private static List<Post> followUps() {
		return slack.delivered()
			.stream()
			.filter((post) -> post.threadTs() != null && post.text().contains("more circuit breakers opened"))
			.toList();
	}

	private static List<Post> recoveries() {
		return slack.delivered().stream().filter((post) -> post.text().contains("circuit breakers recovered")).toList();
	}

}
