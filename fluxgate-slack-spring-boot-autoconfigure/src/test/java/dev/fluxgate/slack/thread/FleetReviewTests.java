package dev.fluxgate.slack.thread;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.fluxgate.slack.Transition;
import dev.fluxgate.slack.TransitionSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adversarial review of issue 18: the fleet's rules over a shared in-memory store on virtual time, where each
 * replica reaches the store through a connection of its own that can fail on its own, as each replica's Redis
 * connection does.
 */
class FleetReviewTests {

	private static final Duration HEARTBEAT = Duration.ofSeconds(1);

	private static final String CHANNEL = "C0123456789";

	private final StoreClock storeClock = new StoreClock(Instant.parse("2026-12-07T10:00:00Z"));

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final InMemoryThreadStore shared = InMemoryThreadStore.shared(this.storeClock);

	private final List<CycleEnded> ended = new ArrayList<>();

	private final List<FleetThreadTracker> replicas = new ArrayList<>();

	private int messages;

	@AfterEach
	void closeReplicas() {
		this.replicas.forEach(FleetThreadTracker::close);
		this.time.dispose();
	}

	/**
	 * Defect: a membership started by a storm digest ({@code started}, as ChannelDigest.postRoot does) is never
	 * renewed when the breaker's previous cycle ended with a planned CLOSED: the heartbeat renews "the state last
	 * told", which is still the stale CLOSED of the previous cycle. The live replica then looks dead, and another
	 * replica ends its outage as "stopped reporting" while its breaker is OPEN.
	 */
	@Test
	void aCycleStartedByAStormDigestIsRenewedByTheHeartbeatAfterAnEarlierCycle() {
		FleetThreadTracker a = replica("pod-a", new FlakyStore(this.shared));
		replica("pod-b", new FlakyStore(this.shared));
		AtomicReference<State> onA = bind(a, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		onA.set(State.HALF_OPEN);
		tell(a, "payment", State.OPEN, State.HALF_OPEN);
		onA.set(State.CLOSED);
		tell(a, "payment", State.HALF_OPEN, State.CLOSED);
		assertThat(this.shared.find("payment").blockOptional()).as("the first cycle ended").isEmpty();

		advance(Duration.ofSeconds(5));
		onA.set(State.OPEN);
		// a storm: the trip is told in the channel's digest, whose root becomes the breaker's thread
		assertThat(a.started(SlackThread.started(snapshot("payment", State.CLOSED, State.OPEN), CHANNEL, "9.1"))
			.block()).isTrue();
		advance(Duration.ofSeconds(10));

		assertThat(this.ended).as("pod-a is alive and OPEN: nobody may end its cycle as 'stopped reporting'")
			.isEmpty();
		assertThat(this.shared.find("payment").blockOptional()).as("the outage's thread").isPresent();
	}

	/**
	 * Defect: a replica that trips while its write to the store fails (a Redis blip between its read and its write)
	 * replies in the thread last read, but never becomes a member, and no heartbeat ever makes the store agree with
	 * its OPEN breaker: the heartbeat renews only the cycles this replica is recorded in. Once the store answers
	 * again, the other member's recovery is broadcast as "Recovered" while this replica is still OPEN.
	 */
	@Test
	void aReplicaWhoseJoinCouldNotBeWrittenIsStillFailingWhenTheOtherRecovers() {
		FlakyStore toA = new FlakyStore(this.shared);
		FlakyStore toB = new FlakyStore(this.shared);
		FleetThreadTracker a = replica("pod-a", toA);
		FleetThreadTracker b = replica("pod-b", toB);
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		toB.writesDown = true;
		onB.set(State.OPEN);
		Plan joined = tell(b, "payment", State.CLOSED, State.OPEN);
		assertThat(joined.step().isReply()).as("pod-b's trip is told in the thread it read").isTrue();
		toB.writesDown = false;
		advance(Duration.ofSeconds(10));

		onA.set(State.CLOSED);
		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.step().broadcast()).as("pod-b is still OPEN: no recovery may be broadcast").isFalse();
		assertThat(recovery.fleet()).containsOnlyKeys("pod-b");
	}

	/**
	 * Defect, the same hole by another way: the store applied pod-b's join but its answer was lost (RedisCalls stops
	 * waiting after the timeout without cancelling the script). pod-b is then a member in the store that its own
	 * heartbeat never renews; three heartbeats later it counts as dead and pod-a's recovery is broadcast while pod-b
	 * is still OPEN.
	 */
	@Test
	void aJoinAppliedWhoseAnswerWasLostIsRenewedByTheHeartbeat() {
		FlakyStore toA = new FlakyStore(this.shared);
		FlakyStore toB = new FlakyStore(this.shared);
		FleetThreadTracker a = replica("pod-a", toA);
		FleetThreadTracker b = replica("pod-b", toB);
		AtomicReference<State> onA = bind(a, "payment");
		AtomicReference<State> onB = bind(b, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		toB.answersLost = true;
		onB.set(State.OPEN);
		tell(b, "payment", State.CLOSED, State.OPEN);
		toB.answersLost = false;
		assertThat(this.shared.find("payment").block().fleet().members()).as("the join was applied")
			.containsOnlyKeys("pod-a", "pod-b");
		advance(Duration.ofSeconds(10));

		onA.set(State.CLOSED);
		Plan recovery = tell(a, "payment", State.OPEN, State.CLOSED);
		assertThat(recovery.step().broadcast()).as("pod-b is still OPEN: no recovery may be broadcast").isFalse();
		assertThat(recovery.fleet()).containsOnlyKeys("pod-b");
	}

	/**
	 * Defect: the heartbeat renews a membership with the state last told, never the breaker's actual state, even
	 * when nothing of the breaker is on its way (its CLOSED message was dropped, as AsyncSlackListener drops past its
	 * queue capacity, or on close). The member is then a zombie renewed as HALF_OPEN forever: the other replica's
	 * recovery names it "still failing" and the outage's thread never ends. Issue 18 requires "the heartbeat renews
	 * each membership with the breaker's actual state" and "no zombie member can exist".
	 */
	@Test
	void aMemberWhoseBreakerClosedIsNotRenewedAsFailingForever() {
		FleetThreadTracker a = replica("pod-a", new FlakyStore(this.shared));
		FleetThreadTracker b = replica("pod-b", new FlakyStore(this.shared));
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
	 * Defect: the heartbeat "leaves" a cycle whose breaker is CLOSED as told, even while that CLOSED message is being
	 * planned. When the plan's first read times out (and is retried), the heartbeat wins: it ends the cycle with
	 * "recovered while the shared store was unreachable", and the recovery itself goes top-level, not broadcast in
	 * the thread, without the outage.
	 */
	@Test
	void theHeartbeatDoesNotEndACycleWhoseRecoveryIsBeingPlanned() {
		FlakyStore toA = new FlakyStore(this.shared);
		FleetThreadTracker a = replica("pod-a", toA);
		AtomicReference<State> onA = bind(a, "payment");
		advance(Duration.ofSeconds(4));
		onA.set(State.OPEN);
		tell(a, "payment", State.CLOSED, State.OPEN);
		advance(Duration.ofMillis(500));

		onA.set(State.CLOSED);
		toA.nextLookupTimesOut.set(1);
		TransitionSnapshot closed = snapshot("payment", State.OPEN, State.CLOSED);
		CompletableFuture<Plan> planned = a.plan(closed, () -> CHANNEL).toFuture();
		advance(Duration.ofSeconds(2));
		assertThat(planned).isDone();
		Plan recovery = planned.join();

		assertThat(this.ended).as("the recovery itself ends the cycle").isEmpty();
		assertThat(recovery.step().isReply()).as("the recovery is a reply in the outage's thread").isTrue();
		assertThat(recovery.step().broadcast()).isTrue();
	}

	private FleetThreadTracker replica(String instance, ThreadStore store) {
		FleetThreadTracker replica = new FleetThreadTracker(store, (name) -> true, instance, HEARTBEAT,
				Duration.ofSeconds(5), this.time);
		replica.endedCycles().subscribe(this.ended::add);
		this.replicas.add(replica);
		return replica;
	}

	private AtomicReference<State> bind(FleetThreadTracker replica, String name) {
		AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
		replica.bound(name, state::get);
		return state;
	}

	private Plan tell(FleetThreadTracker replica, String name, State from, State to) {
		TransitionSnapshot snapshot = snapshot(name, from, to);
		Plan plan = replica.plan(snapshot, () -> CHANNEL).block();
		replica.delivered(snapshot, plan, CHANNEL, "1." + (++this.messages)).block();
		return plan;
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

	private static final class StoreClock extends Clock {

		private volatile Instant now;

		StoreClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

	/**
	 * One replica's connection to the shared store: its writes can fail ({@code writesDown}), be applied with their
	 * answer lost ({@code answersLost}, as a Redis call past its timeout that still runs), and its next lookups can
	 * time out after a second ({@code nextLookupTimesOut}).
	 */
	private final class FlakyStore implements ThreadStore {

		private final ThreadStore store;

		private volatile boolean writesDown;

		private volatile boolean answersLost;

		private final AtomicInteger nextLookupTimesOut = new AtomicInteger();

		FlakyStore(ThreadStore store) {
			this.store = store;
		}

		private <T> Mono<T> write(Mono<T> call) {
			return Mono.defer(() -> {
				if (this.writesDown) {
					return Mono.error(new IllegalStateException("the store is down"));
				}
				if (this.answersLost) {
					return call.then(Mono.error(new IllegalStateException("no answer within the timeout")));
				}
				return call;
			});
		}

		@Override
		public boolean isShared() {
			return true;
		}

		@Override
		public Mono<SlackThread> find(String circuitBreaker) {
			return this.store.find(circuitBreaker);
		}

		@Override
		public Mono<Lookup> lookup(String circuitBreaker) {
			return Mono.defer(() -> (this.nextLookupTimesOut.getAndUpdate((n) -> Math.max(0, n - 1)) > 0)
					? Mono.delay(Duration.ofSeconds(1), FleetReviewTests.this.time)
						.then(Mono.error(new IllegalStateException("no answer within the timeout")))
					: this.store.lookup(circuitBreaker));
		}

		@Override
		public Mono<Boolean> create(SlackThread thread) {
			return write(this.store.create(thread));
		}

		@Override
		public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
			return write(this.store.replace(expected, next));
		}

		@Override
		public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
			return write(this.store.remove(circuitBreaker, threadTs));
		}

		@Override
		public Mono<Boolean> remove(SlackThread expected) {
			return write(this.store.remove(expected));
		}

		@Override
		public Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
			return this.store.beat(instance, states, silence);
		}

		@Override
		public Flux<SlackThread> findAll() {
			return this.store.findAll();
		}

	}

}
