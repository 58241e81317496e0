package dev.fluxgate.slack;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One outage on two replicas of a fleet while Slack paces the channel: a replica's messages wait their turn, sometimes
 * for longer than another replica's whole failure cycle, and the outage is still one thread that ends when its last
 * replica recovers; what only echoes the fleet's state in the thread is counted in the root's edit. On virtual time,
 * over the in-memory shared thread store.
 */
class FleetBusyChannelTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onVirtualTime();

	private static final SlackStandIn slack = fixture.slack();

	private InMemoryThreadStore threads;

	private AsyncSlackListener first;

	private AsyncSlackListener second;

	@BeforeEach
	void twoReplicasOnAChannelOfOneMessageASecond() {
		fixture.enforceRateLimit(1, 1);
		this.threads = InMemoryThreadStore.shared(fixture.clock());
		this.first = replica("replica-1");
		this.second = replica("replica-2");
	}

	private AsyncSlackListener replica(String instance) {
		return fixture.use(fixture.configure(AsyncSlackListener.builder())
			.pacer(fixture.pacer(1, 1))
			.threadStore(this.threads)
			.fleet(instance, Duration.ofSeconds(10))
			.build());
	}

	@Test
	void aReplicaThatTripsWhileTheRootIsOnItsWayIsInTheCycleWhenTheRootIsPosted() {
		CircuitBreaker onFirst = bound(this.first, "payment");
		CircuitBreaker onSecond = bound(this.second, "payment");
		try (SlackStandIn.Hold held = theSecondTripsWhileTheFirstsRootIsHeld(onFirst, onSecond)) {
			fixture.run(Duration.ofMillis(500));
		}
		fixture.runUntil(() -> roots().size() == 1);
		onFirst.transitionToClosedState();
		fixture.runUntil(() -> replies().stream().anyMatch((post) -> post.rawBody().contains("Still failing")));

		assertThat(replies()).as("the first replica's recovery names the one whose trip waited for the root")
			.anySatisfy((post) -> {
				assertThat(post.rawBody()).contains("Still failing on 1 instance:* replica-2 (OPEN)");
				assertThat(post.broadcast()).isFalse();
			});
		onSecond.transitionToClosedState();
		fixture.runUntil(() -> replies().stream().anyMatch(Post::broadcast));

		assertThat(roots()).as("one thread for the outage").hasSize(1);
		assertThat(replies()).filteredOn(Post::broadcast).hasSize(1);
	}

	@Test
	void inABusyChannelAReplicaThatRecoversWhileOthersStillFailIsCountedInTheRootNotPosted() {
		CircuitBreaker onFirst = bound(this.first, "payment");
		CircuitBreaker onSecond = bound(this.second, "payment");
		bothInTheCycleAndTheFirstReplicaBusy(onFirst, onSecond);
		onFirst.transitionToClosedState();
		fixture.runUntil(() -> fixture.outcomes().coalesced.stream()
			.anyMatch((snapshot) -> snapshot.circuitBreaker().equals("payment")));

		assertThat(replies()).noneMatch((post) -> post.rawBody().contains("Still failing"));
		fixture.runUntil(() -> slack.updates()
			.stream()
			.anyMatch((update) -> update.rawBody().contains("OPEN on 1 instance")));
		onSecond.transitionToClosedState();
		fixture.runUntil(() -> replies().stream().anyMatch(Post::broadcast));
		assertThat(roots()).hasSize(1);
	}

	/**
	 * The root waits its turn for longer than a silence (three heartbeats, 30 s here) while the first replica's
	 * breaker goes on to recover: the second replica, in the claim since its trip, stamps its membership at each poll,
	 * so it is a live member when the root is posted, and the first replica's recovery is no outage's end.
	 */
	@Test
	void aReplicaThatJoinedWhileTheRootWaitedLongerThanASilenceIsStillInTheCycleWhenTheFirstRecovers() {
		CircuitBreaker onFirst = bound(this.first, "payment");
		CircuitBreaker onSecond = bound(this.second, "payment");
		try (SlackStandIn.Hold held = theSecondTripsWhileTheFirstsRootIsHeld(onFirst, onSecond)) {
			fixture.run(Duration.ofSeconds(40));
			onFirst.transitionToHalfOpenState();
			onFirst.transitionToClosedState();
			fixture.run(Duration.ofMillis(100));
		}
		fixture.runUntil(() -> roots().size() == 1);
		fixture.run(Duration.ofSeconds(20));

		assertThat(onSecond.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(replies()).as("the second replica is still OPEN: no recovery is broadcast")
			.noneMatch(Post::broadcast);
		assertThat(roots()).as("one thread for the outage").hasSize(1);
	}

	/**
	 * A breaker an operator disabled on one replica leaves the cycle like a recovery, but it is no echo of the fleet's
	 * state: it is told even in a busy channel.
	 */
	@Test
	void inABusyChannelAReplicaDisabledWhileOthersStillFailIsStillTold() {
		CircuitBreaker onFirst = bound(this.first, "payment");
		CircuitBreaker onSecond = bound(this.second, "payment");
		bothInTheCycleAndTheFirstReplicaBusy(onFirst, onSecond);
		onFirst.transitionToDisabledState();
		fixture.runUntil(() -> Stream
			.concat(fixture.outcomes().coalesced.stream(), fixture.outcomes().delivered.stream())
			.anyMatch((snapshot) -> snapshot.circuitBreaker().equals("payment")
					&& snapshot.transition().to() == CircuitBreaker.State.DISABLED));

		assertThat(fixture.outcomes().coalesced).as("an operator's DISABLED is no echo of the fleet's state")
			.noneMatch((snapshot) -> snapshot.circuitBreaker().equals("payment")
					&& snapshot.transition().to() == CircuitBreaker.State.DISABLED);
	}

	/**
	 * The first replica trips and Slack holds the root's answer; the second, its own messages backed up, trips too.
	 * @return the hold, to release
	 */
	private SlackStandIn.Hold theSecondTripsWhileTheFirstsRootIsHeld(CircuitBreaker onFirst, CircuitBreaker onSecond) {
		SlackStandIn.Hold held = slack.holdAnswersTo("Circuit Breaker Triggered");
		onFirst.transitionToOpenState();
		fixture.runUntil(() -> slack.unanswered() == 1);
		backUp(this.second, 5);
		onSecond.transitionToOpenState();
		return held;
	}

	/** Both replicas trip: one thread with two members; then the first replica's channel is paced by Slack. */
	private void bothInTheCycleAndTheFirstReplicaBusy(CircuitBreaker onFirst, CircuitBreaker onSecond) {
		onFirst.transitionToOpenState();
		fixture.runUntil(() -> roots().size() == 1);
		onSecond.transitionToOpenState();
		fixture.runUntil(() -> this.threads.findAll()
			.collectList()
			.block()
			.stream()
			.anyMatch((thread) -> thread.fleet().members().size() == 2));
		backUp(this.first, 3);
		fixture.runUntil(() -> this.first.pacer().isLimited(SlackStandIn.CHANNEL));
	}

	/**
	 * Without root edits nothing is coalesced into the root: a replica's recovery while others still fail is posted,
	 * busy channel or not.
	 */
	@Test
	void withoutRootEditsARecoveryWhileOthersStillFailIsStillToldInABusyChannel() {
		AsyncSlackListener third = replica("replica-3", false);
		AsyncSlackListener fourth = replica("replica-4", false);
		CircuitBreaker onThird = bound(third, "payment");
		CircuitBreaker onFourth = bound(fourth, "payment");
		onThird.transitionToOpenState();
		fixture.runUntil(() -> roots().size() == 1);
		onFourth.transitionToOpenState();
		fixture.runUntil(() -> this.threads.findAll()
			.collectList()
			.block()
			.stream()
			.anyMatch((thread) -> thread.fleet().members().size() == 2));
		backUp(third, 3);
		fixture.runUntil(() -> third.pacer().isLimited(SlackStandIn.CHANNEL));
		onThird.transitionToClosedState();
		fixture.runUntil(() -> java.util.stream.Stream
			.concat(fixture.outcomes().coalesced.stream(), fixture.outcomes().delivered.stream())
			.anyMatch((snapshot) -> snapshot.circuitBreaker().equals("payment")
					&& snapshot.transition().to() == CircuitBreaker.State.CLOSED));

		assertThat(slack.updates()).as("update-root=false: the root is never edited").isEmpty();
		assertThat(replies()).as("so replica-3's recovery is told in the thread")
			.anyMatch((post) -> post.rawBody().contains("Still failing on 1 instance"));
	}

	private AsyncSlackListener replica(String instance, boolean updateRoot) {
		return fixture.use(fixture.configure(AsyncSlackListener.builder())
			.pacer(fixture.pacer(1, 1))
			.threadStore(this.threads)
			.fleet(instance, Duration.ofSeconds(10))
			.updateRoot(updateRoot)
			.build());
	}

	/** Trip breakers on a replica so that its own messages back up behind Slack's limit. */
	private static void backUp(AsyncSlackListener replica, int count) {
		IntStream.range(0, count).forEach((i) -> bound(replica, "queue-" + i).transitionToOpenState());
	}

	private static CircuitBreaker bound(AsyncSlackListener replica, String name) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		replica.bindTo(circuitBreaker);
		return circuitBreaker;
	}

	private static List<Post> roots() {
		return slack.delivered()
			.stream()
			.filter((post) -> post.threadTs() == null && post.rawBody().contains("payment"))
			.toList();
	}

	private static List<Post> replies() {
		List<Post> roots = roots();
		return slack.delivered()
			.stream()
			.filter((post) -> post.threadTs() != null
					&& roots.stream().anyMatch((root) -> root.ts().equals(post.threadTs())))
			.toList();
	}

}
