package dev.fluxgate.slack.thread;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link ThreadStore}: every write is atomic and says whether it took effect, so that two writers
 * sharing a store race safely. A store implementation passes it by extending this class.
 */
public abstract class ThreadStoreContractTests {

	private static final Instant OPENED = Instant.parse("2026-11-28T10:00:00Z");

	private ThreadStore store;

	private ExecutorService writers;

	/**
	 * Return a new, empty store.
	 * @return the store under test
	 */
	protected abstract ThreadStore createStore();

	@BeforeEach
	void setUp() {
		this.store = createStore();
		this.writers = Executors.newFixedThreadPool(2);
	}

	@AfterEach
	void tearDown() {
		this.writers.shutdownNow();
	}

	@Test
	void aBreakerWithoutAThreadHasNone() {
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
		assertThat(this.store.findAll().collectList().block()).isEmpty();
		assertThat(this.store.count().block()).isZero();
	}

	@Test
	void aCreatedThreadIsFoundAndCounted() {
		SlackThread thread = root("payment", "1.000100");
		assertThat(this.store.create(thread).block()).isTrue();
		assertThat(this.store.find("payment").block()).isEqualTo(thread);
		assertThat(this.store.findAll().collectList().block()).containsExactly(thread);
		assertThat(this.store.count().block()).isOne();
	}

	@Test
	void createKeepsTheFirstThreadOfABreaker() {
		SlackThread first = root("payment", "1.000100");
		assertThat(this.store.create(first).block()).isTrue();
		assertThat(this.store.create(root("payment", "2.000200")).block()).isFalse();
		assertThat(this.store.find("payment").block()).isEqualTo(first);
	}

	@Test
	void replaceTakesEffectOnlyOnTheVersionItRead() {
		SlackThread read = root("payment", "1.000100");
		this.store.create(read).block();
		SlackThread next = read.followedBy(snapshot("payment", State.OPEN, State.HALF_OPEN));
		assertThat(this.store.replace(read, next).block()).isTrue();
		assertThat(this.store.find("payment").block()).isEqualTo(next);
		assertThat(next.version()).isEqualTo(read.version() + 1);
		SlackThread stale = read.movedTo(snapshot("payment", State.OPEN, State.FORCED_OPEN));
		assertThat(this.store.replace(read, stale).block()).as("a write based on a version already replaced")
			.isFalse();
		assertThat(this.store.find("payment").block()).isEqualTo(next);
	}

	@Test
	void replaceOfAThreadThatIsGoneOrAnotherTakesNoEffect() {
		SlackThread old = root("payment", "1.000100");
		assertThat(this.store.replace(old, old.followedBy(snapshot("payment", State.OPEN, State.HALF_OPEN))).block())
			.isFalse();
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
		SlackThread current = root("payment", "2.000200");
		this.store.create(current).block();
		assertThat(this.store.replace(old, old.followedBy(snapshot("payment", State.OPEN, State.HALF_OPEN))).block())
			.as("same version, another root").isFalse();
		assertThat(this.store.find("payment").block()).isEqualTo(current);
	}

	@Test
	void removeForgetsOnlyTheThreadWithThatRoot() {
		SlackThread current = root("payment", "2.000200");
		this.store.create(current).block();
		assertThat(this.store.remove("payment", "1.000100").block()).isFalse();
		assertThat(this.store.find("payment").block()).isEqualTo(current);
		assertThat(this.store.remove("payment", "2.000200").block()).isTrue();
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
		assertThat(this.store.remove("payment", "2.000200").block()).isFalse();
	}

	@Test
	void removeOfAVersionTakesEffectOnlyOnTheVersionItRead() {
		SlackThread read = root("payment", "1.000100");
		this.store.create(read).block();
		SlackThread next = read.followedBy(snapshot("payment", State.OPEN, State.HALF_OPEN));
		this.store.replace(read, next).block();
		assertThat(this.store.remove(read).block()).as("a version already replaced").isFalse();
		assertThat(this.store.find("payment").block()).isEqualTo(next);
		assertThat(this.store.remove(next).block()).isTrue();
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
		assertThat(this.store.remove(next).block()).isFalse();
	}

	@Test
	void aClaimWithoutARootAndAFleetWithItsMembersReadBackWhole() {
		TransitionSnapshot trip = snapshot("payment", State.CLOSED, State.OPEN);
		SlackThread claim = SlackThread.claimed(trip, "C0123456789", "pod-a", OPENED.plusSeconds(5));
		assertThat(this.store.create(claim).block()).isTrue();
		assertThat(this.store.find("payment").block()).isEqualTo(claim);
		assertThat(this.store.create(SlackThread.claimed(trip, "C0123456789", "pod-b", OPENED.plusSeconds(5))).block())
			.as("a second claim of the same cycle").isFalse();
		SlackThread posted = claim.posted("C0123456789", "1.000100", "pod-a");
		assertThat(this.store.replace(claim, posted).block()).isTrue();
		SlackThread stored = this.store.find("payment").block();
		SlackThread joined = stored.followedBy(snapshot("payment", State.CLOSED, State.OPEN))
			.withFleet(stored.fleet().with("pod-b", State.HALF_OPEN));
		assertThat(this.store.replace(stored, joined).block()).isTrue();
		SlackThread found = this.store.find("payment").block();
		assertThat(found.threadTs()).isEqualTo("1.000100");
		assertThat(found.version()).isEqualTo(joined.version());
		assertThat(found.messages()).isEqualTo(2);
		assertThat(found.fleet().isClaim()).isFalse();
		assertThat(found.fleet().members()).containsOnlyKeys("pod-a", "pod-b");
		assertThat(found.fleet().members().get("pod-a").state()).isEqualTo(State.OPEN);
		assertThat(found.fleet().members().get("pod-b").state()).isEqualTo(State.HALF_OPEN);
	}

	@Test
	void aReplicaThatJoinsAClaimIsAMemberOnceTheRootIsPostedAndTheRenewedClaimKeepsIt() {
		SlackThread claim = SlackThread.claimed(snapshot("payment", State.CLOSED, State.OPEN), "C0123456789", "pod-a",
				OPENED.plusSeconds(5));
		this.store.create(claim).block();
		SlackThread joined = claim.withFleet(claim.fleet().joiningClaim("pod-b", State.OPEN));
		assertThat(this.store.replace(claim, joined).block()).isTrue();
		SlackThread read = this.store.find("payment").block();
		assertThat(read.isClaim()).as("still claimed by the replica posting the root").isTrue();
		assertThat(read.fleet().claimedBy()).isEqualTo("pod-a");
		assertThat(read.fleet().members()).containsOnlyKeys("pod-b");
		assertThat(this.store.replace(claim, claim.posted("C0123456789", "1.000100", "pod-a")).block())
			.as("the poster's claim changed since it read it").isFalse();
		assertThat(this.store.replace(read, read.posted("C0123456789", "1.000100", "pod-a")).block()).isTrue();
		SlackThread posted = this.store.find("payment").block();
		assertThat(posted.isClaim()).isFalse();
		assertThat(posted.fleet().members()).containsOnlyKeys("pod-a", "pod-b");
	}

	@Test
	void aStaleRemovalOfALapsedClaimLeavesTheNextReplicasClaimAlone() {
		TransitionSnapshot trip = snapshot("payment", State.CLOSED, State.OPEN);
		SlackThread lapsed = SlackThread.claimed(trip, "C0123456789", "pod-a", OPENED.plusSeconds(5));
		this.store.create(lapsed).block();
		assertThat(this.store.remove(lapsed).block()).isTrue();
		SlackThread next = SlackThread.claimed(trip, "C0123456789", "pod-b", OPENED.plusSeconds(9));
		this.store.create(next).block();
		assertThat(this.store.remove(lapsed).block()).as("the same version, another claim").isFalse();
		assertThat(this.store.replace(lapsed, lapsed.posted("C0123456789", "1.000100", "pod-a")).block()).isFalse();
		assertThat(this.store.find("payment").block()).isEqualTo(next);
	}

	@Test
	void membersWrittenAreStampedWithTheStoresOwnTime() {
		SlackThread claim = SlackThread.claimed(snapshot("payment", State.CLOSED, State.OPEN), "C0123456789", "pod-a",
				OPENED);
		this.store.create(claim).block();
		Instant before = this.store.lookup("payment").block().now();
		this.store.replace(claim, claim.posted("C0123456789", "1.000100", "pod-a")).block();
		Lookup after = this.store.lookup("payment").block();
		assertThat(after.found()).isTrue();
		assertThat(after.thread().fleet().members().get("pod-a").heartbeat()).isBetween(before, after.now());
		assertThat(this.store.lookup("nothing").block().found()).isFalse();
	}

	@Test
	void aReplaceLeavesTheMembersItDidNotChangeAsTheStoreHoldsThem() {
		SlackThread claim = SlackThread.claimed(snapshot("payment", State.CLOSED, State.OPEN), "C0123456789", "pod-a",
				OPENED);
		this.store.create(claim).block();
		this.store.replace(claim, claim.posted("C0123456789", "1.000100", "pod-a")).block();
		SlackThread read = this.store.find("payment").block();
		SlackThread withB = read.withFleet(read.fleet().with("pod-b", State.OPEN));
		this.store.replace(read, withB).block();
		SlackThread readByC = this.store.find("payment").block();
		this.store.beat("pod-a", java.util.Map.of("payment", State.HALF_OPEN), java.time.Duration.ofSeconds(30))
			.block();
		SlackThread byC = readByC.withFleet(readByC.fleet().with("pod-c", State.OPEN).without("pod-b"));
		assertThat(this.store.replace(readByC, byC).block())
			.as("a writer that judged on what it read before a heartbeat finds the thread changed").isFalse();
		readByC = this.store.find("payment").block();
		byC = readByC.withFleet(readByC.fleet().with("pod-c", State.OPEN).without("pod-b"));
		assertThat(this.store.replace(readByC, byC).block()).isTrue();
		SlackThread found = this.store.find("payment").block();
		assertThat(found.fleet().members()).containsOnlyKeys("pod-a", "pod-c");
		assertThat(found.fleet().members().get("pod-a").state()).as("the renewal made meanwhile stays")
			.isEqualTo(State.HALF_OPEN);
	}

	@Test
	void aHeartbeatRenewsOnlyWhereTheReplicaIsAMemberAndNamesTheRest() {
		SlackThread claim = SlackThread.claimed(snapshot("payment", State.CLOSED, State.OPEN), "C0123456789", "pod-a",
				OPENED);
		this.store.create(claim).block();
		this.store.replace(claim, claim.posted("C0123456789", "1.000100", "pod-a")).block();
		Beat beat = this.store.beat("pod-b", java.util.Map.of("payment", State.OPEN, "orders", State.OPEN),
				java.time.Duration.ofSeconds(30)).block();
		assertThat(beat.gone()).containsExactlyInAnyOrder("payment", "orders");
		assertThat(this.store.find("payment").block().fleet().members()).as("no member is written back")
			.containsOnlyKeys("pod-a");
		assertThat(this.store.find("orders").blockOptional()).isEmpty();
		assertThat(this.store.beat("pod-a", java.util.Map.of("payment", State.OPEN), java.time.Duration.ofSeconds(30))
			.block()
			.gone()).isEmpty();
	}

	@Test
	void aCycleWithoutASignOfLifeForTheSilenceIsNamedAbandoned() throws InterruptedException {
		SlackThread claim = SlackThread.claimed(snapshot("payment", State.CLOSED, State.OPEN), "C0123456789", "pod-a",
				OPENED);
		this.store.create(claim).block();
		this.store.replace(claim, claim.posted("C0123456789", "1.000100", "pod-a")).block();
		this.store.create(root("orders", "2.000200")).block();
		SlackThread orders = this.store.find("orders").block();
		this.store.replace(orders, orders.withFleet(orders.fleet().with("pod-b", State.OPEN))).block();
		assertThat(this.store.beat("pod-c", java.util.Map.of(), java.time.Duration.ofSeconds(30)).block().abandoned())
			.isEmpty();
		Thread.sleep(50);
		this.store.beat("pod-b", java.util.Map.of("orders", State.OPEN), java.time.Duration.ofSeconds(30)).block();
		assertThat(this.store.beat("pod-c", java.util.Map.of(), java.time.Duration.ofMillis(40)).block().abandoned())
			.containsExactly("payment");
	}

	@RepeatedTest(20)
	void twoWritersRemovingTheSameVersionAtOnceEndItOnce() throws Exception {
		SlackThread read = root("payment", "1.000100");
		this.store.create(read).block();
		List<Boolean> removed = race(() -> this.store.remove(read).block(), () -> this.store.remove(read).block());
		assertThat(removed).containsExactlyInAnyOrder(true, false);
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
	}

	@RepeatedTest(20)
	void aWriterRemovingAVersionWhileAnotherReplacesItLeavesExactlyOneOutcome() throws Exception {
		SlackThread read = root("payment", "1.000100");
		this.store.create(read).block();
		SlackThread next = read.followedBy(snapshot("payment", State.OPEN, State.HALF_OPEN));
		List<Boolean> outcomes = race(() -> this.store.replace(read, next).block(),
				() -> this.store.remove(read).block());
		assertThat(outcomes).containsExactlyInAnyOrder(true, false);
		assertThat(this.store.find("payment").blockOptional()).isEqualTo(outcomes.get(0) ? Optional.of(next)
				: Optional.empty());
	}

	@RepeatedTest(20)
	void twoWritersCreatingAtOnceStartOneThread() throws Exception {
		List<Boolean> created = race(() -> this.store.create(root("payment", "1.000100")).block(),
				() -> this.store.create(root("payment", "2.000200")).block());
		assertThat(created).containsExactlyInAnyOrder(true, false);
		String kept = this.store.find("payment").block().threadTs();
		assertThat(kept).isEqualTo(created.get(0) ? "1.000100" : "2.000200");
	}

	@RepeatedTest(20)
	void twoWritersReplacingTheSameVersionAtOnceMakeOneChange() throws Exception {
		SlackThread read = root("payment", "1.000100");
		this.store.create(read).block();
		SlackThread halfOpen = read.followedBy(snapshot("payment", State.OPEN, State.HALF_OPEN));
		SlackThread forced = read.followedBy(snapshot("payment", State.OPEN, State.FORCED_OPEN));
		List<Boolean> replaced = race(() -> this.store.replace(read, halfOpen).block(),
				() -> this.store.replace(read, forced).block());
		assertThat(replaced).containsExactlyInAnyOrder(true, false);
		assertThat(this.store.find("payment").block()).isEqualTo(replaced.get(0) ? halfOpen : forced);
	}

	@RepeatedTest(20)
	void aWriterReplacingWhileAnotherRemovesLeavesNoThread() throws Exception {
		SlackThread read = root("payment", "1.000100");
		this.store.create(read).block();
		SlackThread next = read.followedBy(snapshot("payment", State.OPEN, State.HALF_OPEN));
		List<Boolean> outcomes = race(() -> this.store.replace(read, next).block(),
				() -> this.store.remove("payment", "1.000100").block());
		assertThat(outcomes.get(1)).as("the remove finds the thread, replaced or not").isTrue();
		assertThat(this.store.find("payment").blockOptional()).isEmpty();
	}

	@Test
	void manyBreakersWrittenFromTwoThreadsAreAllKept() throws Exception {
		race(() -> {
			for (int i = 0; i < 500; i++) {
				this.store.create(root("a-" + i, "1." + i)).block();
			}
			return true;
		}, () -> {
			for (int i = 0; i < 500; i++) {
				this.store.create(root("b-" + i, "2." + i)).block();
			}
			return true;
		});
		assertThat(this.store.count().block()).isEqualTo(1000);
	}

	private List<Boolean> race(Callable<Boolean> first, Callable<Boolean> second) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		Future<Boolean> one = this.writers.submit(() -> {
			start.await();
			return first.call();
		});
		Future<Boolean> two = this.writers.submit(() -> {
			start.await();
			return second.call();
		});
		start.countDown();
		return List.of(one.get(10, TimeUnit.SECONDS), two.get(10, TimeUnit.SECONDS));
	}

	private static SlackThread root(String circuitBreaker, String ts) {
		return SlackThread.started(snapshot(circuitBreaker, State.CLOSED, State.OPEN), "C0123456789", ts);
	}

	private static TransitionSnapshot snapshot(String circuitBreaker, State from, State to) {
		return new TransitionSnapshot(circuitBreaker, Transition.of(from, to), OPENED);
	}

}
