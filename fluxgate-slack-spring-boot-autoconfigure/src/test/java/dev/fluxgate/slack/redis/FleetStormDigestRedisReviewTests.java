package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.storm.DigestStore;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import dev.fluxgate.slack.thread.SlackThread;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review of issue 21 (one storm, one digest) against a real {@code redis-server}: three replicas sharing one Redis, as
 * in {@code FleetStormDigestRedisTests}. Each test is a promise of the README's "Several replicas" or docs/fleet.md's
 * "One storm, one digest" that the change does not keep.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class FleetStormDigestRedisReviewTests {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private static final String PREFIX = "fluxgate:slack";

	private static final String DIGEST = "{" + PREFIX + "}:digest:" + SlackStandIn.CHANNEL + ":";

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	private final List<Scheduler> schedulers = new ArrayList<>();

	private final List<AsyncSlackListener> replicas = new ArrayList<>();

	private final Outcomes outcomes = new Outcomes();

	@BeforeEach
	void clean() {
		redis.flush();
		slack.enforceRateLimit(10, 3);
	}

	@AfterEach
	void stop() {
		redis.resume();
		this.replicas.forEach(AsyncSlackListener::close);
		this.connections.forEach(LettuceConnectionFactory::destroy);
		this.schedulers.forEach(Scheduler::dispose);
	}

	private void fleetOfThree(Duration heartbeat) {
		for (int i = 1; i <= 3; i++) {
			this.replicas.add(replica("replica-" + i, heartbeat));
		}
	}

	private AsyncSlackListener replica(String instance, Duration heartbeat) {
		return replica(instance, heartbeat, Duration.ofSeconds(10));
	}

	private AsyncSlackListener replica(String instance, Duration heartbeat, Duration closeTimeout) {
		LettuceConnectionFactory connection = redis.newConnectionFactory();
		this.connections.add(connection);
		Scheduler scheduler = Schedulers.newSingle(instance);
		this.schedulers.add(scheduler);
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(connection);
		return slack.configure(AsyncSlackListener.builder())
			.threadStore(new FallbackThreadStore(new RedisThreadStore(template, PREFIX, Duration.ofDays(1), TIMEOUT),
					() -> this.outcomes))
			.pacer(new ChannelPacer(10, 3).sharedBy(new RedisSharedPace(template, PREFIX, TIMEOUT)))
			.digestStore(new RedisDigestStore(template, PREFIX, Duration.ofDays(1), TIMEOUT))
			.fleet(instance, heartbeat)
			.digest(Duration.ofMillis(500), INTERVAL)
			.scheduler(scheduler)
			.observer(this.outcomes)
			.closeTimeout(closeTimeout)
			.build();
	}

	/**
	 * Each breaker the fleet's digest names gets a thread "without members (the digest, not heartbeats, ends it)".
	 * In Redis such a thread is indexed among the open cycles at its creation's time and never renewed, so three
	 * heartbeats later every replica's heartbeat finds it abandoned: it is removed, and "The failure cycle of X ended:
	 * its instances stopped reporting" is posted in the digest root's thread, once per breaker, in the middle of the
	 * storm, while the breakers are all still OPEN. With the defaults (heartbeat 10 s) this happens 30 s into any
	 * storm. The in-memory store does not index member-less threads, so FleetStormDigestTests cannot see it.
	 */
	@Test
	void theThreadsOfTheDigestsBreakersAreNotEndedAsAbandonedWhileTheStormLasts() {
		fleetOfThree(Duration.ofMillis(300));
		trip("svc-", 30);
		await().atMost(Duration.ofSeconds(30)).until(() -> !digestRoots().isEmpty());
		String root = digestRoots().get(0).ts();
		RedisThreadStore threads = new RedisThreadStore(redis.template(), PREFIX, Duration.ofDays(1), TIMEOUT);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> threads.findAll().filter((thread) -> root.equals(thread.threadTs())).count().block() > 0);
		List<String> digested = threads.findAll()
			.filter((thread) -> root.equals(thread.threadTs()))
			.map(SlackThread::circuitBreaker)
			.collectList()
			.block();

		// ten heartbeats: more than three silences, the breakers all still OPEN on every replica
		LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());

		assertThat(slack.delivered())
			.as("nothing says that the cycle of a breaker still OPEN on three replicas ended")
			.noneSatisfy((post) -> assertThat(post.text()).startsWith("The failure cycle of"));
		assertThat(digested).as("the digest's breakers keep their threads in the digest root while they fail")
			.allSatisfy((name) -> assertThat(threads.find(name).map(SlackThread::threadTs).block()).isEqualTo(root));
	}

	/**
	 * docs/fleet.md's Redis layout: the digest's keys have the TTL {@code redis.thread-ttl}, "renewed by each new
	 * breaker, as are the digest's other hashes". The {@code told} hash is created by the first flush
	 * ({@code digest-told.lua}), after the entries joined, and {@code digest-append.lua} only sets the expiry of keys
	 * that exist when a new breaker joins: a storm whose breakers all joined before its first flush leaves a
	 * {@code told} hash with no expiry at all. So does {@code pending}, recreated without a TTL by a later transition
	 * of a breaker already in the digest once a flush emptied it. A storm that does not end by recoveries (a replica
	 * gone with its breaker open) then leaves these keys forever, and the stale marks keep the next storm from ending
	 * ({@code #marks == zcard(entries)} never holds again).
	 */
	@Test
	void everyKeyOfTheDigestExpires() {
		RedisDigestStore store = new RedisDigestStore(redis.template(), PREFIX, Duration.ofDays(1), TIMEOUT);
		String channel = SlackStandIn.CHANNEL;
		store.append(channel, "payment", "replica-1", State.OPEN).block();
		store.append(channel, "orders", "replica-1", State.OPEN).block();
		DigestStore.Turn turn = store.turn(channel, "replica-1", Duration.ofMillis(750), Duration.ZERO, 0).block();
		assertThat(turn.flush()).isTrue();
		DigestStore.Ledger ledger = store.read(channel).block();
		store.told(channel, new DigestStore.Told(channel, "1700000000.000100",
				ledger.entries()
					.stream()
					.map((entry) -> new DigestStore.Version(entry.circuitBreaker(), entry.version(),
							DigestStore.Mark.OPENED))
					.toList()))
			.block();
		// payment recovers on replica 1, orders stays open: a transition of a breaker already in the digest
		store.append(channel, "payment", "replica-1", State.CLOSED).block();

		ReactiveStringRedisTemplate template = redis.template();
		Map<String, Long> ttls = new java.util.TreeMap<>();
		for (String part : List.of("entries", "pending", "members", "told", "sequence", "root", "lease", "flushed",
				"heartbeats")) {
			Boolean exists = template.hasKey(DIGEST + part).block();
			if (Boolean.TRUE.equals(exists)) {
				ttls.put(part, template.getExpire(DIGEST + part).map(Duration::toMillis).block());
			}
		}
		assertThat(ttls).as("the expiry, in ms, of each of the digest's keys").containsKeys("told", "pending");
		assertThat(ttls).as("the expiry, in ms, of each of the digest's keys (0 or less: none)")
			.allSatisfy((part, ttl) -> assertThat(ttl).as(part).isPositive());
	}

	/**
	 * "Redis trouble never costs an alert": an append that fails goes to the replica's own digest. But the appends are
	 * written one after the other, each waiting for its own timeout ({@code redis.timeout}): while Redis does not
	 * answer, the n-th breaker of a storm is told only after n timeouts. Twenty breakers at 500 ms take more than
	 * ten seconds to reach the replica's own digest (two hundred at the default 1 s: over three minutes), where one
	 * interval and one timeout would do. A breaker's own messages do not queue behind each other's store calls: each
	 * lane waits one timeout, concurrently; the digest's single writer makes every breaker wait for all before it.
	 */
	@Test
	void whileRedisDoesNotAnswerAStormIsToldWithinAnIntervalOrTwo() {
		fleetOfThree(Duration.ofSeconds(10));
		trip("first-", 30);
		await().atMost(Duration.ofSeconds(30)).until(() -> !digestRoots().isEmpty() && pending() == 0);

		redis.pause();
		Instant paused = Instant.now();
		AsyncSlackListener replica = this.replicas.get(0);
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			trip(replica, "late-" + i, 1);
			names.add("late-" + i);
		}
		List<String> untold = new ArrayList<>(names);
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!untold.isEmpty() && System.nanoTime() < deadline) {
			untold.removeIf((name) -> slack.delivered().stream().anyMatch((post) -> names(post, name)));
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
		}
		assertThat(untold).as("the breakers not told %s after they tripped with Redis frozen (interval %s, timeout %s)",
				Duration.between(paused, Instant.now()), INTERVAL, TIMEOUT)
			.isEmpty();
	}

	/**
	 * Each replica stamps its heartbeat in {@code {P}:digest:{channel}:heartbeats} at every turn (four times an
	 * interval, for every channel it knows, storm or not), and every turn renews the hash's expiry; nothing ever
	 * removes a field. With the default instance ids (host, pid and a random part: a new one per start) every replica
	 * that ever ran stays in every channel's hash for as long as any replica runs, and every flush reads them all.
	 */
	@Test
	void theHeartbeatsOfReplicasLongGoneAreForgotten() {
		RedisDigestStore store = new RedisDigestStore(redis.template(), PREFIX, Duration.ofSeconds(1), TIMEOUT);
		String channel = SlackStandIn.CHANNEL;
		for (int i = 0; i < 50; i++) {
			store.turn(channel, "gone-" + i, Duration.ofMillis(750), INTERVAL, 0).block();
		}
		// one replica goes on taking its turns for three times the TTL
		long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (System.nanoTime() < until) {
			store.turn(channel, "replica-1", Duration.ofMillis(750), INTERVAL, 0).block();
			LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
		}
		Long known = redis.template().opsForHash().size(DIGEST + "heartbeats").block();
		assertThat(known).as("the replicas in the channel's heartbeats, long after fifty of them stopped").isEqualTo(1);
	}

	/**
	 * Every transition is counted once as delivered, coalesced, digested, dropped or failed, and a close that gives up
	 * counts what it gave up as dropped (the replica's own digest does: {@code DigestSender.giveUp}). The fleet's
	 * digest counts a transition "digested" when it is queued for Redis; a close whose timeout ends while appends
	 * still wait for a Redis that does not answer logs "Gave up writing N transitions" and disposes the writer: those
	 * transitions never reach the replica's own digest, are never told, and are counted nowhere but "digested".
	 */
	@Test
	void aCloseThatGivesUpTheAppendsStillWaitingForRedisCountsThemDropped() {
		this.replicas.add(replica("replica-1", Duration.ofSeconds(10), Duration.ofSeconds(1)));
		this.replicas.add(replica("replica-2", Duration.ofSeconds(10)));
		trip("first-", 30);
		await().atMost(Duration.ofSeconds(30)).until(() -> !digestRoots().isEmpty() && pending() == 0);
		int droppedBefore = this.outcomes.dropped.get();
		int failedBefore = this.outcomes.failed.get();
		int digestedBefore = this.outcomes.digested.get();

		redis.pause();
		AsyncSlackListener closing = this.replicas.get(0);
		for (int i = 0; i < 10; i++) {
			trip(closing, "late-" + i, 1);
		}
		assertThat(this.outcomes.digested.get() - digestedBefore).as("the ten trips went to the fleet's digest")
			.isEqualTo(10);
		closing.close();
		redis.resume();
		LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());

		long told = java.util.stream.IntStream.range(0, 10)
			.filter((i) -> slack.delivered().stream().anyMatch((post) -> names(post, "late-" + i)))
			.count();
		int lost = this.outcomes.dropped.get() - droppedBefore + this.outcomes.failed.get() - failedBefore;
		assertThat(told + lost).as("of ten trips, %d told and %d counted dropped or failed", told, lost)
			.isGreaterThanOrEqualTo(10);
	}

	/**
	 * {@code AsyncSlackListener.close()}: "deliver what is pending, waiting at most the close timeout"
	 * (fluxgate.slack.shutdown-timeout). With a fleet digest, StormDigest.close gives the fleet's digest the whole
	 * timeout, then gives its own digest's last flush the whole timeout again: a close in Redis trouble, with Slack
	 * slow to answer, takes twice the shutdown timeout (and Spring's shutdown phase is sized on it).
	 */
	@Test
	void aCloseTakesAtMostTheCloseTimeout() {
		this.replicas.add(replica("replica-1", Duration.ofSeconds(10), Duration.ofSeconds(2)));
		this.replicas.add(replica("replica-2", Duration.ofSeconds(10)));
		trip("first-", 30);
		await().atMost(Duration.ofSeconds(30)).until(() -> !digestRoots().isEmpty() && pending() == 0);

		redis.pause();
		AsyncSlackListener closing = this.replicas.get(0);
		for (int i = 0; i < 10; i++) {
			trip(closing, "late-" + i, 1);
		}
		Duration took;
		try (SlackStandIn.Hold held = slack.holdAnswers()) {
			long start = System.nanoTime();
			closing.close();
			took = Duration.ofNanos(System.nanoTime() - start);
		}
		assertThat(took).as("the close of a listener whose close timeout is 2 s").isLessThan(Duration.ofMillis(2500));
	}

	/**
	 * docs/fleet.md: "An append that fails goes to the replica's own digest, as without Redis; the first failure is
	 * logged at WARN, each counted in fluxgate.slack.store.fallbacks{operation=digest}". A failed turn is counted
	 * too, and logged as "this replica tells its storm in a digest of its own", although nothing fell back and there
	 * is no storm: while Redis is down every replica counts four digest fallbacks per interval per channel it knows.
	 */
	@Test
	void withoutAStormNothingIsCountedAsADigestFallback() {
		fleetOfThree(Duration.ofSeconds(10));
		LockSupport.parkNanos(INTERVAL.toNanos());
		redis.pause();
		LockSupport.parkNanos(INTERVAL.multipliedBy(3).toNanos());
		redis.resume();
		assertThat(this.outcomes.digested.get()).isZero();
		assertThat(this.outcomes.fellBack).as("no transition fell back to a replica's own digest").doesNotContain("digest");
	}

	private List<CircuitBreaker> trip(String prefix, int count) {
		List<CircuitBreaker> breakers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			for (AsyncSlackListener replica : this.replicas) {
				breakers.addAll(trip(replica, prefix + i, 1));
			}
			LockSupport.parkNanos(Duration.ofMillis(30).toNanos());
		}
		return breakers;
	}

	private static List<CircuitBreaker> trip(AsyncSlackListener replica, String name, int count) {
		List<CircuitBreaker> breakers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults((count == 1) ? name : name + i);
			replica.bindTo(circuitBreaker);
			circuitBreaker.transitionToOpenState();
			breakers.add(circuitBreaker);
		}
		return breakers;
	}

	private int pending() {
		return this.replicas.stream().mapToInt(AsyncSlackListener::getPending).sum();
	}

	private static boolean names(Post post, String name) {
		return post.text() != null && post.text().matches(".*\\b" + name + "\\b.*");
	}

	private static List<Post> digestRoots() {
		return slack.delivered()
			.stream()
			.filter((post) -> post.threadTs() == null && post.text().contains("more circuit breakers opened"))
			.toList();
	}

	/** Counts what becomes of every transition, on every replica. */
	static final class Outcomes implements DeliveryObserver {

		final AtomicInteger delivered = new AtomicInteger();

		final AtomicInteger digested = new AtomicInteger();

		final AtomicInteger dropped = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		final Queue<String> fellBack = new ConcurrentLinkedQueue<>();

		@Override
		public void delivered(TransitionSnapshot snapshot, Duration took) {
			this.delivered.incrementAndGet();
		}

		@Override
		public void digested(TransitionSnapshot snapshot) {
			this.digested.incrementAndGet();
		}

		@Override
		public void dropped(TransitionSnapshot snapshot) {
			this.dropped.incrementAndGet();
		}

		@Override
		public void failed(TransitionSnapshot snapshot, SlackApiException failure) {
			this.failed.incrementAndGet();
		}

		@Override
		public void storeFellBack(String operation, Throwable cause) {
			this.fellBack.add(operation);
		}

	}

}
