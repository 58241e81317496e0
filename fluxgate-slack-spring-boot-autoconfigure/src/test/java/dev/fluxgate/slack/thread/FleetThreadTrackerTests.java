package dev.fluxgate.slack.thread;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The fleet's rules, over a shared in-memory store whose clock stands for Redis's, on virtual time: three replicas
 * share each failure cycle, and crashes, store outages and removed breakers never lose an outage.
 */
class FleetThreadTrackerTests {

	private static final Duration HEARTBEAT = Duration.ofSeconds(1);

	private final StoreClock storeClock = new StoreClock(Instant.parse("2026-12-07T10:00:00Z"));

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final FlakyStore store = new FlakyStore(InMemoryThreadStore.shared(this.storeClock));

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
		this.store.down = true;
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
		this.store.down = true;
		advance(Duration.ofSeconds(10));
		this.store.down = false;
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
		this.store.down = true;
		onA.set(State.CLOSED);
		Plan told = tell(a, "payment", State.HALF_OPEN, State.CLOSED);
		assertThat(told.step().threadTs()).as("a reply in the thread last read").isNotNull();
		assertThat(told.step().broadcast()).as("no recovery is broadcast while others may still fail").isFalse();
		this.store.down = false;
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
		FleetThreadTracker a = new FleetThreadTracker(this.store, (name) -> true, (name) -> queued.get(), "pod-a",
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

	private FleetThreadTracker replica(String instance) {
		return replica(instance, HEARTBEAT);
	}

	private FleetThreadTracker replica(String instance, Duration heartbeat) {
		FleetThreadTracker replica = new FleetThreadTracker(this.store, (name) -> true, instance, heartbeat,
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

	private void advance(Duration duration) {
		for (Duration step = Duration.ZERO; step.compareTo(duration) < 0; step = step.plusMillis(100)) {
			this.storeClock.advance(Duration.ofMillis(100));
			this.time.advanceTimeBy(Duration.ofMillis(100));
		}
	}

	private TransitionSnapshot snapshot(String name, State from, State to) {
		return new TransitionSnapshot(name, Transition.of(from, to), this.storeClock.instant());
	}

	/**
	 * The store's own clock, as Redis's is to the replicas.
	 */
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
	 * A shared store that stops answering while {@code down}, as Redis does when it pauses or the network fails.
	 */
	private static final class FlakyStore implements ThreadStore {

		private final ThreadStore store;

		private volatile boolean down;

		FlakyStore(ThreadStore store) {
			this.store = store;
		}

		private <T> Mono<T> unlessDown(Mono<T> call) {
			return Mono.defer(() -> this.down ? Mono.error(new IllegalStateException("the store is down")) : call);
		}

		@Override
		public boolean isShared() {
			return true;
		}

		@Override
		public Mono<SlackThread> find(String circuitBreaker) {
			return unlessDown(this.store.find(circuitBreaker));
		}

		@Override
		public Mono<Lookup> lookup(String circuitBreaker) {
			return unlessDown(this.store.lookup(circuitBreaker));
		}

		@Override
		public Mono<Boolean> create(SlackThread thread) {
			return unlessDown(this.store.create(thread));
		}

		@Override
		public Mono<Boolean> replace(SlackThread expected, SlackThread next) {
			return unlessDown(this.store.replace(expected, next));
		}

		@Override
		public Mono<Boolean> remove(String circuitBreaker, String threadTs) {
			return unlessDown(this.store.remove(circuitBreaker, threadTs));
		}

		@Override
		public Mono<Boolean> remove(SlackThread expected) {
			return unlessDown(this.store.remove(expected));
		}

		@Override
		public Mono<Beat> beat(String instance, Map<String, State> states, Duration silence) {
			return unlessDown(this.store.beat(instance, states, silence));
		}

		@Override
		public Flux<SlackThread> findAll() {
			return this.down ? Flux.error(new IllegalStateException("the store is down")) : this.store.findAll();
		}

	}

}
