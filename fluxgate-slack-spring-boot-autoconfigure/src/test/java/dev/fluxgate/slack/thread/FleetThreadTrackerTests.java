package dev.fluxgate.slack.thread;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet's rules, over a shared in-memory store whose clock stands for Redis's, on virtual time: three replicas
 * share each failure cycle, and crashes, store outages and removed breakers never lose an outage.
 */
class FleetThreadTrackerTests {

	private static final Duration HEARTBEAT = Duration.ofSeconds(1);

	private final StoreClock storeClock = new StoreClock(Instant.parse("2026-12-07T10:00:00Z"));

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final InMemoryThreadStore store = InMemoryThreadStore.shared(this.storeClock);

	private final Map<String, FlakyConnection> connections = new HashMap<>();

	private final List<CycleEnded> ended = new ArrayList<>();

	private final List<FleetThreadTracker> replicas = new ArrayList<>();

	private int messages;

	@AfterEach
	void closeReplicas() {
		this.replicas.forEach(FleetThreadTracker::close);
		this.time.dispose();
	}

	@Test
	void aTransitionWhileTheStoreCannotAnswerRepliesInTheThreadLastRead() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		advance(Duration.ofSeconds(4));
		Plan root = tell(a, "payment", State.CLOSED, State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		String ts = this.store.find("payment").block().threadTs();
		storeDown(true);
		Plan halfOpen = tell(a, "payment", State.OPEN, State.HALF_OPEN);
		assertThat(root.step().startsThread()).isTrue();
		assertThat(halfOpen.step().threadTs()).as("a reply in the cycle's thread, not a message of its own")
			.isEqualTo(ts);
		assertThat(halfOpen.step().broadcast()).isFalse();
	}

	@Test
	void aCycleWhoseOnlyMemberDiesIsEndedOnceByAReplicaThatWasNeverInIt() {
		FleetThreadTracker a = replica("pod-a");
		replica("pod-b");
		replica("pod-c");
		advance(Duration.ofSeconds(4));
		tell(a, "payment", State.CLOSED, State.OPEN);
		a.close();
		advance(Duration.ofSeconds(5));
		assertThat(this.ended).singleElement().satisfies((cycle) -> {
			assertThat(cycle.reason()).isEqualTo(CycleEnded.Reason.STOPPED_REPORTING);
			assertThat(cycle.lastInstance()).isEqualTo("pod-a");
		});
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
	}

	@Test
	void theNextOutageAfterTheOnlyMemberDiedStartsANewRootNotAReplyInTheDeadThread() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		advance(Duration.ofSeconds(4));
		tell(a, "payment", State.CLOSED, State.OPEN);
		a.close();
		advance(Duration.ofMillis(3500));
		Plan next = tell(b, "payment", State.CLOSED, State.OPEN);
		assertThat(next.step().startsThread()).isTrue();
		assertThat(next.step().isReply()).isFalse();
		assertThat(this.ended).singleElement().extracting(CycleEnded::lastInstance).isEqualTo("pod-a");
		assertThat(this.store.find("payment").block().fleet().members()).containsOnlyKeys("pod-b");
	}

	@Test
	void aReplicaJoiningACycleWithoutALiveMemberEndsItFirst() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b", Duration.ofMinutes(10));
		advance(Duration.ofSeconds(4));
		tell(a, "payment", State.CLOSED, State.OPEN);
		a.close();
		advance(Duration.ofHours(1));
		Plan next = tell(b, "payment", State.CLOSED, State.OPEN);
		assertThat(next.step().startsThread()).as("its own trip starts a new root").isTrue();
		assertThat(this.ended).singleElement().extracting(CycleEnded::reason)
			.isEqualTo(CycleEnded.Reason.STOPPED_REPORTING);
	}

	@Test
	void aStoreThatStopsAnsweringNeverEndsAMembershipNorMakesALiveReplicaLookDead() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		advance(Duration.ofSeconds(4));
		tell(a, "payment", State.CLOSED, State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		storeDown(true);
		advance(Duration.ofSeconds(10));
		storeDown(false);
		advance(Duration.ofMillis(200));
		Plan recovery = tell(b, "payment", State.HALF_OPEN, State.CLOSED);
		assertThat(recovery.leavesOthersFailing()).as("pod-a is still failing").isTrue();
		assertThat(recovery.step().broadcast()).isFalse();
		assertThat(recovery.fleet()).containsOnlyKeys("pod-a");
		advance(Duration.ofSeconds(10));
		assertThat(this.store.find("payment").block().fleet().members()).containsOnlyKeys("pod-a");
		assertThat(this.ended).isEmpty();
	}

	@Test
	void aRecoveryTheStoreCouldNotRecordLeavesNoZombieMember() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		onB.set(State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		storeDown(true);
		onA.set(State.CLOSED);
		Plan told = tell(a, "payment", State.HALF_OPEN, State.CLOSED);
		assertThat(told.step().threadTs()).as("a reply in the thread last read").isNotNull();
		assertThat(told.step().broadcast()).as("no recovery is broadcast while others may still fail").isFalse();
		storeDown(false);
		advance(Duration.ofSeconds(2));
		assertThat(this.store.find("payment").block().fleet().members())
			.as("pod-a's breaker is closed: its heartbeat leaves the cycle").containsOnlyKeys("pod-b");
		advance(Duration.ofMinutes(1));
		assertThat(this.store.find("payment").block().fleet().members()).containsOnlyKeys("pod-b");
		onB.set(State.CLOSED);
		advance(Duration.ofSeconds(2));
		assertThat(this.store.find("payment").blockOptional()).as("the last member closed unrecorded: the cycle ends")
			.isEmpty();
		assertThat(this.ended).singleElement().satisfies((cycle) -> {
			assertThat(cycle.reason()).isEqualTo(CycleEnded.Reason.LEFT);
			assertThat(cycle.lastInstance()).isEqualTo("pod-b");
		});
	}

	@Test
	void theHeartbeatRenewsAMembershipWithTheBreakersActualStateOnceNothingOfItIsOnItsWay() {
		AtomicBoolean queued = new AtomicBoolean();
		FleetThreadTracker a = new FleetThreadTracker(connection("pod-a"), (name) -> true, (name) -> queued.get(), "pod-a",
				HEARTBEAT, Duration.ofSeconds(5), this.time);
		this.replicas.add(a);
		AtomicReference<State> onA = bind(a, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		queued.set(true);
		onA.set(State.HALF_OPEN);
		advance(Duration.ofSeconds(2));
		assertThat(member("payment", "pod-a").state()).as("HALF_OPEN waits in the listener: not told yet")
			.isEqualTo(State.OPEN);
		Instant renewed = member("payment", "pod-a").heartbeat();
		assertThat(renewed).as("renewed all the same").isAfter(this.storeClock.instant().minusSeconds(2));
		queued.set(false);
		advance(Duration.ofSeconds(2));
		assertThat(member("payment", "pod-a").state()).isEqualTo(State.HALF_OPEN);
		assertThat(member("payment", "pod-a").heartbeat()).isAfter(renewed);
	}

	@Test
	void aReplicaWhoseBreakerIsRemovedLeavesTheCycleToTheOthers() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		advance(Duration.ofSeconds(4));
		tell(a, "payment", State.CLOSED, State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		a.released("payment").block();
		assertThat(this.store.find("payment").block().fleet().members()).containsOnlyKeys("pod-b");
		assertThat(this.ended).isEmpty();
		b.released("payment").block();
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
		assertThat(this.ended).singleElement().satisfies((cycle) -> {
			assertThat(cycle.reason()).isEqualTo(CycleEnded.Reason.REMOVED);
			assertThat(cycle.lastInstance()).isEqualTo("pod-b");
		});
	}

	@Test
	void aRecoveryToldInAStormDigestLeavesTheCycleWhileOthersAreStillIn() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		advance(Duration.ofSeconds(4));
		tell(a, "payment", State.CLOSED, State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		a.moved(snapshot("payment", State.OPEN, State.CLOSED)).block();
		assertThat(this.store.find("payment").block().fleet().members()).containsOnlyKeys("pod-b");
		b.moved(snapshot("payment", State.OPEN, State.CLOSED)).block();
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
		assertThat(this.ended).as("the root's thread is told its end").singleElement().satisfies((cycle) -> {
			assertThat(cycle.reason()).isEqualTo(CycleEnded.Reason.LEFT);
			assertThat(cycle.lastInstance()).isEqualTo("pod-b");
		});
	}

	@Test
	void aTripWhileTheStoreCannotAnswerIsANewRootNeverAReplyInAnEarlierCyclesThread() {
		FleetThreadTracker a = replica("pod-a");
		advance(Duration.ofSeconds(4));
		tell(a, "payment", State.CLOSED, State.OPEN);
		tell(a, "payment", State.OPEN, State.CLOSED);
		storeDown(true);
		Plan trip = tell(a, "payment", State.CLOSED, State.OPEN);
		assertThat(trip.step().isReply()).isFalse();
		assertThat(trip.step().startsThread()).isTrue();
	}

	@Test
	void aMembershipAStormDigestStartedIsRenewedWhileTheDigestHoldsTheBreaker() {
		FleetThreadTracker a = new FleetThreadTracker(connection("pod-a"), (name) -> true, (name) -> true, "pod-a",
				HEARTBEAT, Duration.ofSeconds(5), this.time);
		this.replicas.add(a);
		replica("pod-b");
		AtomicReference<State> onA = bind(a, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		a.started(SlackThread.started(snapshot("payment", State.CLOSED, State.OPEN), "C0123456789", "9.1")).block();
		advance(Duration.ofSeconds(10));
		assertThat(this.ended).isEmpty();
		assertThat(member("payment", "pod-a").heartbeat()).isAfter(this.storeClock.instant().minusSeconds(2));
	}

	@Test
	void theLastLiveMemberToRecoverBroadcastsTheRecovery() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		advance(Duration.ofSeconds(4));
		tell(a, "payment", State.CLOSED, State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		assertThat(tell(a, "payment", State.OPEN, State.CLOSED).leavesOthersFailing()).isTrue();
		Plan last = tell(b, "payment", State.OPEN, State.CLOSED);
		assertThat(last.step().broadcast()).isTrue();
		assertThat(last.step().endsThread()).isTrue();
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
	}

	/**
	 * a membership started by a storm digest ({@code started}, as ChannelDigest.postRoot does) is never
	 * renewed when the breaker's previous cycle ended with a planned CLOSED: the heartbeat renews "the state last
	 * told", which is still the stale CLOSED of the previous cycle. The live replica then looks dead, and another
	 * replica ends its outage as "stopped reporting" while its breaker is OPEN.
	 */
	@Test
	void aCycleStartedByAStormDigestIsRenewedByTheHeartbeatAfterAnEarlierCycle() {
		FleetThreadTracker a = replica("pod-a");
		replica("pod-b");
		AtomicReference<State> onA = bind(a, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		onA.set(State.HALF_OPEN);
		tell(a, "payment", State.OPEN, State.HALF_OPEN);
		onA.set(State.CLOSED);
		tell(a, "payment", State.HALF_OPEN, State.CLOSED);
		assertThat(this.store.find("payment").blockOptional()).as("the first cycle ended").isEmpty();

		advance(Duration.ofSeconds(5));
		onA.set(State.OPEN);
		// a storm: the trip is told in the channel's digest, whose root becomes the breaker's thread
		assertThat(a.started(SlackThread.started(snapshot("payment", State.CLOSED, State.OPEN), "C0123456789", "9.1"))
			.block()).isTrue();
		advance(Duration.ofSeconds(10));

		assertThat(this.ended).as("pod-a is alive and OPEN: nobody may end its cycle as 'stopped reporting'")
			.isEmpty();
		assertThat(this.store.find("payment").blockOptional()).as("the outage's thread").isPresent();
	}

	/**
	 * a replica that trips while its write to the store fails (a Redis blip between its read and its write)
	 * replies in the thread last read, but never becomes a member, and no heartbeat ever makes the store agree with
	 * its OPEN breaker: the heartbeat renews only the cycles this replica is recorded in. Once the store answers
	 * again, the other member's recovery is broadcast as "Recovered" while this replica is still OPEN.
	 */
	@Test
	void aReplicaWhoseJoinCouldNotBeWrittenIsStillFailingWhenTheOtherRecovers() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		connection("pod-b").writesDown = true;
		onB.set(State.OPEN);
		Plan joined = tell(b, "payment", State.CLOSED, State.OPEN);
		assertThat(joined.step().isReply()).as("pod-b's trip is told in the thread it read").isTrue();
		connection("pod-b").writesDown = false;
		advance(Duration.ofSeconds(10));

		podARecoversWhilePodBStillFails(a, onA);
	}

	/**
	 * the store applied pod-b's join but its answer was lost (RedisCalls stops
	 * waiting after the timeout without cancelling the script). pod-b is then a member in the store that its own
	 * heartbeat never renews; three heartbeats later it counts as dead and pod-a's recovery is broadcast while pod-b
	 * is still OPEN.
	 */
	@Test
	void aJoinAppliedWhoseAnswerWasLostIsRenewedByTheHeartbeat() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		connection("pod-b").answersLost = true;
		onB.set(State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		connection("pod-b").answersLost = false;
		assertThat(this.store.find("payment").block().fleet().members()).as("the join was applied")
			.containsOnlyKeys("pod-a", "pod-b");
		advance(Duration.ofSeconds(10));

		podARecoversWhilePodBStillFails(a, onA);
	}

	/**
	 * the heartbeat renews a membership with the state last told, never the breaker's actual state, even
	 * when nothing of the breaker is on its way (its CLOSED message was dropped, as AsyncSlackListener drops past its
	 * queue capacity, or on close). The member is then a zombie renewed as HALF_OPEN forever: the other replica's
	 * recovery names it "still failing" and the outage's thread never ends. Issue 18 requires "the heartbeat renews
	 * each membership with the breaker's actual state" and "no zombie member can exist".
	 */
	@Test
	void aMemberWhoseBreakerClosedIsNotRenewedAsFailingForever() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		onB.set(State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		onA.set(State.HALF_OPEN);
		tell(a, "payment", State.OPEN, State.HALF_OPEN);
		onA.set(State.CLOSED); // its message was dropped: nothing of pod-a's breaker is on its way any more
		advance(Duration.ofMinutes(1));

		onB.set(State.CLOSED);
		Plan recovery = tell(b, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.fleet()).as("pod-a's breaker has been CLOSED for a minute").doesNotContainKey("pod-a");
		assertThat(recovery.step().broadcast()).as("the last failing replica recovered").isTrue();
	}

	/**
	 * the heartbeat "leaves" a cycle whose breaker is CLOSED as told, even while that CLOSED message is being
	 * planned. When the plan's first read times out (and is retried), the heartbeat wins: it ends the cycle with
	 * "recovered while the shared store was unreachable", and the recovery itself goes top-level, not broadcast in
	 * the thread, without the outage.
	 */
	@Test
	void theHeartbeatDoesNotEndACycleWhoseRecoveryIsBeingPlanned() {
		FleetThreadTracker a = replica("pod-a");
		AtomicReference<State> onA = bind(a, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		advance(Duration.ofMillis(500));

		onA.set(State.CLOSED);
		connection("pod-a").nextLookupTimesOut.set(1);
		TransitionSnapshot closed = snapshot("payment", State.OPEN, State.CLOSED);
		CompletableFuture<Plan> planned = a.plan(closed, () -> "C0123456789").toFuture();
		advance(Duration.ofSeconds(2));
		assertThat(planned).isDone();
		Plan recovery = planned.join();

		assertThat(this.ended).as("the recovery itself ends the cycle").isEmpty();
		assertThat(recovery.step().isReply()).as("the recovery is a reply in the outage's thread").isTrue();
		assertThat(recovery.step().broadcast()).isTrue();
	}

	@Test
	void aReplicaWhoseTripWaitsOnAClaimAtItsFirstHeartbeatDoesNotTakeTheCycleForAnEarlierLifes() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		AtomicReference<State> onB = bind(b, "payment");
		TransitionSnapshot trip = snapshot("payment", State.CLOSED, State.OPEN);
		Plan root = a.plan(trip, () -> "C0123456789").block();
		onB.set(State.OPEN);
		CompletableFuture<Plan> waiting = b.plan(snapshot("payment", State.CLOSED, State.OPEN), () -> "C0123456789")
			.toFuture();
		advance(Duration.ofMillis(800));
		a.delivered(trip, root, "C0123456789", "1.root").block();
		onB.set(State.CLOSED);
		advance(Duration.ofMillis(300));
		assertThat(waiting).as("pod-b's next poll of the claim is after its first heartbeat").isNotDone();

		assertThat(this.store.find("payment").block().fleet().members())
			.as("pod-b's breaker closed with its trip still on its way: no restart takes it out of the cycle")
			.containsOnlyKeys("pod-a", "pod-b");
		assertThat(this.ended).isEmpty();
		advance(Duration.ofMillis(800));
		assertThat(waiting).isDone();
		assertThat(waiting.join().step().startsThread()).isFalse();
	}

	/**
	 * A replica in a claim while the root waits its turn (a busy channel) stamps its membership at each poll of the
	 * claim, at least once a heartbeat (the store's beat skips claims): however long the root took, it is a live member
	 * when the root is posted, the claimer's recovery is no outage's end, and its trip replies in the thread.
	 */
	@Test
	void aReplicaThatJoinedAClaimHeldLongerThanASilenceIsStillInTheCycleWhenTheRootIsPosted() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		TransitionSnapshot trip = snapshot("payment", State.CLOSED, State.OPEN);
		Plan root = a.plan(trip, () -> "C0123456789").block();
		assertThat(root.step().startsThread()).isTrue();
		Disposable posting = a.whilePosting(trip, root, Mono.never()).subscribe();
		onB.set(State.OPEN);
		CompletableFuture<Plan> waiting = b.plan(snapshot("payment", State.CLOSED, State.OPEN), () -> "C0123456789")
			.toFuture();
		advance(Duration.ofMillis(200));
		assertThat(this.store.find("payment").block().fleet().members()).as("pod-b joined the claim")
			.containsOnlyKeys("pod-b");
		advance(Duration.ofSeconds(10)); // the root waits its turn in a busy channel; pod-a renews its claim
		posting.dispose();
		a.delivered(trip, root, "C0123456789", "1.root").block();
		assertThat(waiting).as("pod-b still polls the claim").isNotDone();

		onA.set(State.CLOSED);
		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.step().broadcast()).as("pod-b is still OPEN: no recovery may be broadcast").isFalse();
		assertThat(recovery.leavesOthersFailing()).isTrue();
		assertThat(recovery.fleet()).containsOnlyKeys("pod-b");
		advance(Duration.ofSeconds(6));
		assertThat(waiting).isDone();
		assertThat(waiting.join().step().startsThread()).as("pod-b's trip is in the outage's thread, no second root")
			.isFalse();
	}

	/**
	 * Only a failing replica joins a claim: one whose breaker an operator disabled while the root is on its way is no
	 * member, and the claimer's recovery is the outage's end.
	 */
	@Test
	void aReplicaEnteringAStateThatEndsACycleWhileAnotherClaimsItIsNoMemberOfTheCycle() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		advance(Duration.ofSeconds(4));
		TransitionSnapshot trip = snapshot("payment", State.CLOSED, State.OPEN);
		Plan root = a.plan(trip, () -> "C0123456789").block();
		CompletableFuture<Plan> disabled = b
			.plan(snapshot("payment", State.CLOSED, State.DISABLED), () -> "C0123456789")
			.toFuture();
		advance(Duration.ofMillis(200));
		a.delivered(trip, root, "C0123456789", "1.root").block();

		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.fleet()).as("pod-b's breaker is DISABLED, not failing").doesNotContainKey("pod-b");
		assertThat(recovery.step().broadcast()).as("the only failing replica recovered").isTrue();
		advance(Duration.ofSeconds(1));
		assertThat(disabled).isDone();
	}

	/**
	 * A replica whose trip went to the fleet's storm digest while another replica's root is still being posted joins
	 * the claim at its next heartbeat: once the root is posted, the other replica's recovery is no outage's end.
	 */
	@Test
	void aReplicaWhoseTripWentToTheDigestWhileAnotherReplicasRootWasOnItsWayIsInTheCycle() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = digestReplica("pod-b", () -> true);
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		TransitionSnapshot trip = snapshot("payment", State.CLOSED, State.OPEN);
		Plan root = a.plan(trip, () -> "C0123456789").block();
		assertThat(root.step().startsThread()).isTrue();
		// pod-b's trip is appended to the fleet's digest while pod-a's root is still being posted
		onB.set(State.OPEN);
		b.failingElsewhere("payment", State.OPEN).block();
		advance(Duration.ofMillis(500));
		a.delivered(trip, root, "C0123456789", "1.root").block();
		advance(Duration.ofSeconds(3)); // pod-b's heartbeats; the digest still holds its breaker

		podARecoversWhilePodBStillFails(a, onA);
	}

	/**
	 * A digest replica in another replica's claim whose breaker closes before the root is posted is of this life, not
	 * an earlier one's: its heartbeat leaves the cycle, and as its last member it ends it as recovered, not restarted.
	 */
	@Test
	void aDigestReplicaInAClaimWhoseBreakerClosedEndsTheCycleAsRecovered() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = replica("pod-b");
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		onA.set(State.OPEN);
		TransitionSnapshot trip = snapshot("payment", State.CLOSED, State.OPEN);
		Plan root = a.plan(trip, () -> "C0123456789").block();
		onB.set(State.OPEN);
		b.failingElsewhere("payment", State.OPEN).block();
		assertThat(this.store.find("payment").block().fleet().members()).as("pod-b is in pod-a's claim")
			.containsOnlyKeys("pod-b");
		onB.set(State.CLOSED);
		a.delivered(trip, root, "C0123456789", "1.root").block();
		onA.set(State.CLOSED);
		assertThat(tell(a, "payment", State.OPEN, State.CLOSED).step().broadcast()).isFalse();
		advance(HEARTBEAT.plusMillis(200));

		assertThat(this.ended).singleElement().satisfies((cycle) -> {
			assertThat(cycle.reason()).isEqualTo(CycleEnded.Reason.LEFT);
			assertThat(cycle.lastInstance()).isEqualTo("pod-b");
		});
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
	}

	/**
	 * The same when the digest's append comes before the other replica's claim: the heartbeat joins the cycle once
	 * there is one.
	 */
	@Test
	void aReplicaWhoseTripWentToTheDigestBeforeAnotherReplicaClaimedTheCycleIsInTheCycle() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = digestReplica("pod-b", () -> true);
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onB.set(State.OPEN);
		b.failingElsewhere("payment", State.OPEN).block();
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		advance(Duration.ofSeconds(3));

		onA.set(State.CLOSED);
		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.step().broadcast()).as("pod-b is still OPEN: no recovery may be broadcast").isFalse();
	}

	/**
	 * A digest replica's join that the thread store could not write (a Redis blip) is made at a later heartbeat.
	 */
	@Test
	void aDigestReplicasJoinThatTheStoreCouldNotWriteIsMadeLater() {
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = digestReplica("pod-b", () -> true);
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		onB.set(State.OPEN);
		connection("pod-b").writesDown = true;
		b.failingElsewhere("payment", State.OPEN).block();
		connection("pod-b").writesDown = false;
		advance(Duration.ofSeconds(5));

		onA.set(State.CLOSED);
		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.step().broadcast()).as("pod-b is still OPEN: no recovery may be broadcast").isFalse();
	}

	/**
	 * A breaker removed from the registry while its trip waits on another replica's claim leaves the claim, and its
	 * message is told in the thread without joining it: the other replica's recovery is the outage's end.
	 */
	@Test
	void aReplicaWhoseBreakerIsRemovedWhileItsTripWaitsOnAClaimLeavesTheCycle() {
		AtomicBoolean kept = new AtomicBoolean(true);
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = new FleetThreadTracker(connection("pod-b"), (name) -> kept.get(), "pod-b", HEARTBEAT,
				Duration.ofSeconds(5), this.time);
		b.endedCycles().subscribe(this.ended::add);
		this.replicas.add(b);
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		TransitionSnapshot trip = snapshot("payment", State.CLOSED, State.OPEN);
		Plan root = a.plan(trip, () -> "C0123456789").block();
		onB.set(State.OPEN);
		TransitionSnapshot bTrip = snapshot("payment", State.CLOSED, State.OPEN);
		CompletableFuture<Plan> waiting = b.plan(bTrip, () -> "C0123456789").toFuture();
		advance(Duration.ofMillis(200));
		assertThat(this.store.find("payment").block().fleet().members()).as("pod-b joined the claim")
			.containsKey("pod-b");

		// registry.remove("payment") on pod-b while its trip still waits for the root
		kept.set(false);
		b.released("payment").block();
		advance(Duration.ofMillis(500));
		a.delivered(trip, root, "C0123456789", "1.root").block();
		advance(Duration.ofSeconds(2));
		assertThat(waiting).isDone();
		b.delivered(bTrip, waiting.join(), "C0123456789", "1.b").block();

		onA.set(State.CLOSED);
		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.fleet()).as("pod-b no longer has the breaker").doesNotContainKey("pod-b");
		assertThat(recovery.step().broadcast()).as("the last replica that has the breaker recovered").isTrue();
	}

	/**
	 * A digest replica's join that meets another member's heartbeat between its read and its write (every write of a
	 * member moves the thread's version on) is made at a later heartbeat.
	 */
	@Test
	void aDigestReplicasJoinIsNotLostToAnotherMembersHeartbeat() {
		java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextReplace = new java.util.concurrent.atomic.AtomicReference<>();
		FleetThreadTracker a = replica("pod-a");
		FleetThreadTracker b = new FleetThreadTracker(new Interleaved(this.store, beforeNextReplace), (name) -> true,
				(name) -> true, "pod-b", HEARTBEAT, Duration.ofSeconds(5), this.time);
		b.endedCycles().subscribe(this.ended::add);
		this.replicas.add(b);
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);

		// pod-a's heartbeat lands between pod-b's read and its write
		beforeNextReplace.set(() -> this.store.beat("pod-a", Map.of("payment", State.OPEN), HEARTBEAT.multipliedBy(3))
			.block());
		onB.set(State.OPEN);
		b.failingElsewhere("payment", State.OPEN).block();
		advance(Duration.ofSeconds(3));

		assertThat(this.store.find("payment").block().fleet().members()).as("pod-b's breaker is OPEN")
			.containsKey("pod-b");
		onA.set(State.CLOSED);
		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.step().broadcast()).as("pod-b is still OPEN: no recovery may be broadcast").isFalse();
	}

	/** A replica's connection to the shared store on which another replica's write may land between two calls. */
	private static final class Interleaved implements ThreadStore {

		private final ThreadStore store;

		private final java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextReplace;

		Interleaved(ThreadStore store, java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextReplace) {
			this.store = store;
			this.beforeNextReplace = beforeNextReplace;
		}

		@Override
		public boolean isShared() {
			return true;
		}

		@Override
		public reactor.core.publisher.Mono<SlackThread> find(String circuitBreaker) {
			return this.store.find(circuitBreaker);
		}

		@Override
		public reactor.core.publisher.Mono<Lookup> lookup(String circuitBreaker) {
			return this.store.lookup(circuitBreaker);
		}

		@Override
		public reactor.core.publisher.Mono<Boolean> create(SlackThread thread) {
			return this.store.create(thread);
		}

		@Override
		public reactor.core.publisher.Mono<Boolean> replace(SlackThread expected, SlackThread next) {
			return reactor.core.publisher.Mono.defer(() -> {
				Runnable before = this.beforeNextReplace.getAndSet(null);
				if (before != null) {
					before.run();
				}
				return this.store.replace(expected, next);
			});
		}

		@Override
		public reactor.core.publisher.Mono<Boolean> remove(String circuitBreaker, String threadTs) {
			return this.store.remove(circuitBreaker, threadTs);
		}

		@Override
		public reactor.core.publisher.Mono<Boolean> remove(SlackThread expected) {
			return this.store.remove(expected);
		}

		@Override
		public reactor.core.publisher.Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
			return this.store.beat(instance, states, silence);
		}

		@Override
		public reactor.core.publisher.Flux<SlackThread> findAll() {
			return this.store.findAll();
		}

	}

	private FleetThreadTracker digestReplica(String instance, java.util.function.BooleanSupplier digestHolds) {
		FleetThreadTracker replica = new FleetThreadTracker(connection(instance), (name) -> true,
				(name) -> digestHolds.getAsBoolean(), instance, HEARTBEAT, Duration.ofSeconds(5), this.time);
		replica.endedCycles().subscribe(this.ended::add);
		this.replicas.add(replica);
		return replica;
	}

	private FleetThreadTracker replica(String instance) {
		return replica(instance, HEARTBEAT);
	}

	private FleetThreadTracker replica(String instance, Duration heartbeat) {
		FleetThreadTracker replica = new FleetThreadTracker(connection(instance), (name) -> true, instance, heartbeat,
				Duration.ofSeconds(5), this.time);
		replica.endedCycles().subscribe(this.ended::add);
		this.replicas.add(replica);
		return replica;
	}

	private FlakyConnection connection(String instance) {
		return this.connections.computeIfAbsent(instance, (name) -> new FlakyConnection(this.store, this.time));
	}

	private void storeDown(boolean down) {
		this.connections.values().forEach((connection) -> connection.down = down);
	}

	private AtomicReference<State> bind(FleetThreadTracker replica, String name) {
		AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
		replica.bound(name, state::get);
		return state;
	}

	/**
	 * Plan a transition and record its message as Slack accepted it, as a listener does.
	 */
	private Plan tell(FleetThreadTracker replica, String name, State from, State to) {
		TransitionSnapshot snapshot = snapshot(name, from, to);
		Plan plan = replica.plan(snapshot, () -> "C0123456789").block();
		replica.delivered(snapshot, plan, "C0123456789", "1." + (++this.messages)).block();
		return plan;
	}

	private Fleet.Member member(String name, String instance) {
		return this.store.find(name).block().fleet().members().get(instance);
	}

	/** pod-a recovers while pod-b is still in the cycle: a reply naming pod-b, not the outage's broadcast end. */
	private Plan podARecoversWhilePodBStillFails(FleetThreadTracker a, AtomicReference<State> onA) {
		onA.set(State.CLOSED);
		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.step().broadcast()).as("pod-b is still OPEN: no recovery may be broadcast").isFalse();
		assertThat(recovery.fleet()).containsOnlyKeys("pod-b");
		return recovery;
	}

	private void advance(Duration duration) {
		for (Duration step = Duration.ZERO; step.compareTo(duration) < 0; step = step.plusMillis(100)) {
			this.storeClock.advance(Duration.ofMillis(100));
			this.time.advanceTimeBy(Duration.ofMillis(100));
		}
	}

	private TransitionSnapshot snapshot(String name, State from, State to) {
		return new TransitionSnapshot(name, Transition.of(from, to), this.storeClock.instant());
	}

}
