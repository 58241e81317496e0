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
 * A storm on three replicas sharing one {@code redis-server}: the channel's storm is told once for the fleet, in one
 * digest root, by whichever replica holds the channel's lease; when that replica dies, another takes over.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class FleetStormDigestRedisTests {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	/** Heartbeats five times a second: a cycle silent for 600 ms is abandoned, and a storm outlasts that many times. */
	private static final Duration FAST_HEARTBEAT = Duration.ofMillis(200);

	private static final String PREFIX = "fluxgate:slack";

	private static final String DIGEST = "{" + PREFIX + "}:digest:" + SlackStandIn.CHANNEL + ":";

	private static final String LEASE = DIGEST + "lease";

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

	@Test
	void hundredBreakersTrippingOnThreeReplicasAreToldInOneDigestRootWithNothingLostAndInOrder() {
		fleetOfThree(FAST_HEARTBEAT);
		List<CircuitBreaker> breakers = new ArrayList<>();
		for (AsyncSlackListener replica : this.replicas) {
			for (int i = 0; i < 100; i++) {
				CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(String.format("service-%03d", i));
				replica.bindTo(circuitBreaker);
				breakers.add(circuitBreaker);
			}
		}
		for (int i = 0; i < 100; i++) {
			for (int replica = 0; replica < 3; replica++) {
				breakers.get(replica * 100 + i).transitionToOpenState();
			}
			pause();
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> pending() == 0 && this.outcomes.accounted() == 300);
		breakers.forEach(CircuitBreaker::transitionToClosedState);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> pending() == 0 && this.outcomes.accounted() == 600 && !inStorm());

		assertThat(this.outcomes.dropped.get() + this.outcomes.failed.get()).as("nothing lost").isZero();
		assertThat(digestRoots()).as("one digest root for the fleet's storm").hasSize(1);
		String root = digestRoots().get(0).ts();
		assertThat(slack.delivered()).as("the digest's threads have no members, and none is ended as abandoned")
			.filteredOn((post) -> root.equals(post.threadTs()))
			.allSatisfy((post) -> assertThat(isDigest(post)).as(post.text()).isTrue());
		for (int i = 0; i < 100; i++) {
			String name = String.format("service-%03d", i);
			List<Post> about = slack.delivered().stream().filter((post) -> names(post, name)).toList();
			assertThat(about).as("%s is told", name).isNotEmpty();
			List<Post> own = about.stream().filter((post) -> !isDigest(post)).toList();
			if (!own.isEmpty()) {
				assertThat(own.get(0).text()).as("%s: its own thread, in order", name).contains("Triggered");
				// its last instance's CLOSED, or, when that instance told its trip in the digest, the cycle's end
				assertThat(own.get(own.size() - 1).rawBody()).as("%s: its own thread, in order", name)
					.containsAnyOf("CLOSED", "its last instance, ");
			}
			List<Post> digest = about.stream().filter(FleetStormDigestRedisTests::isDigest).toList();
			if (!digest.isEmpty()) {
				// named opened, or, when it tripped and recovered between two flushes, only in the recovery
				assertThat(digest.get(0).text()).as("%s: in the digest, in order", name)
					.containsAnyOf("more circuit breakers opened", "circuit breakers recovered");
				assertThat(digest.get(digest.size() - 1).text()).as("%s: in the digest, in order", name)
					.contains("circuit breakers recovered");
				assertThat(digest.get(digest.size() - 1).threadTs()).isEqualTo(root);
			}
		}
		assertThat(slack.delivered().stream().filter((post) -> post.text().contains("more circuit breakers opened")))
			.as("a digest that names every breaker of the fleet once, not once per replica")
			.flatMap((post) -> List.of(post.text().substring(post.text().indexOf(':') + 1).split(",")))
			.doesNotHaveDuplicates();
	}

	@Test
	void whenTheFlusherDiesAnotherReplicaFlushesWithinAnInterval() {
		fleetOfThree(FAST_HEARTBEAT);
		List<CircuitBreaker> first = trip("first-", 30);
		// the storm's root is posted, and the own messages of its first breakers are all sent
		await().atMost(Duration.ofSeconds(30)).until(() -> !digestRoots().isEmpty() && pending() == 0);
		String flusher = new ReactiveStringRedisTemplate(redis.connectionFactory()).opsForValue().get(LEASE).block();
		assertThat(flusher).startsWith("replica-");
		int dead = Integer.parseInt(flusher.substring("replica-".length())) - 1;
		// the flusher dies: its scheduler and its Redis connection stop at once, nothing is closed in order
		this.schedulers.get(dead).dispose();
		this.connections.get(dead).destroy();
		Instant died = Instant.now();
		int before = followUps().size();
		AsyncSlackListener survivor = this.replicas.get((dead + 1) % 3);
		trip(survivor, "after-", 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> followUps().size() > before);
		assertThat(Duration.between(died, Instant.now())).as("the lease expires and another replica flushes")
			.isLessThan(INTERVAL.multipliedBy(3));
		assertThat(followUps().get(followUps().size() - 1).text()).as("the new trips, with what the dead flusher left pending")
			.contains("after-0", "after-1");
		for (int i = 0; i < 30; i++) {
			String name = "first-" + i;
			assertThat(slack.delivered()).as("%s is told, in its own thread or in the digest", name)
				.anySatisfy((post) -> assertThat(names(post, name)).isTrue());
		}
		assertThat(new ReactiveStringRedisTemplate(redis.connectionFactory()).opsForValue().get(LEASE).block())
			.isNotEqualTo(flusher);
		this.replicas.remove(dead);
		assertThat(first).isNotEmpty();
	}

	@Test
	void aFlapperOnThreeReplicasInAStormIsNamedOnceNotOncePerReplicaAndTurn() {
		fleetOfThree(FAST_HEARTBEAT);
		trip("busy-", 30);
		await().atMost(Duration.ofSeconds(10)).until(FleetStormDigestRedisTests::inStorm);
		List<CircuitBreaker> flapper = this.replicas.stream().map((replica) -> {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("flapper");
			replica.bindTo(circuitBreaker);
			return circuitBreaker;
		}).toList();
		flapper.forEach(CircuitBreaker::transitionToOpenState);
		flapper.forEach(CircuitBreaker::transitionToHalfOpenState);
		flapper.forEach(CircuitBreaker::transitionToOpenState);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> pending() == 0 && slack.delivered().stream().anyMatch((post) -> names(post, "flapper")));
		LockSupport.parkNanos(INTERVAL.multipliedBy(2).toNanos());
		List<Post> about = slack.delivered().stream().filter((post) -> names(post, "flapper")).toList();
		assertThat(about).as("named once in the storm's digest, not once per replica and turn: %s", about)
			.singleElement()
			.satisfies((post) -> assertThat(post.text()).contains("more circuit breakers opened"));
	}

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

	/** Trip breakers on every replica, a round every 30 ms: a storm that builds up, as they do. */
	private List<CircuitBreaker> trip(String prefix, int count) {
		List<CircuitBreaker> breakers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			for (AsyncSlackListener replica : this.replicas) {
				breakers.addAll(trip(replica, prefix + i, 1));
			}
			pause();
		}
		return breakers;
	}

	private static void pause() {
		LockSupport.parkNanos(Duration.ofMillis(30).toNanos());
	}

	private static List<CircuitBreaker> trip(AsyncSlackListener replica, String prefix, int count) {
		List<CircuitBreaker> breakers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults((count == 1) ? prefix : prefix + i);
			replica.bindTo(circuitBreaker);
			circuitBreaker.transitionToOpenState();
			breakers.add(circuitBreaker);
		}
		return breakers;
	}

	private int pending() {
		return this.replicas.stream().mapToInt(AsyncSlackListener::getPending).sum();
	}

	private static boolean inStorm() {
		return new ReactiveStringRedisTemplate(redis.connectionFactory())
			.hasKey("{fluxgate:slack}:digest:" + SlackStandIn.CHANNEL + ":entries")
			.block();
	}

	private static boolean names(Post post, String name) {
		return post.text().matches(".*\\b" + name + "\\b.*");
	}

	private static boolean isDigest(Post post) {
		return post.text().contains("more circuit breakers opened") || post.text().contains("circuit breakers recovered");
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

	/** Counts what becomes of every transition, on every replica. */
	static final class Outcomes implements DeliveryObserver {

		final AtomicInteger delivered = new AtomicInteger();

		final AtomicInteger coalesced = new AtomicInteger();

		final AtomicInteger digested = new AtomicInteger();

		final AtomicInteger dropped = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		final Queue<String> fellBack = new ConcurrentLinkedQueue<>();

		int accounted() {
			return this.delivered.get() + this.coalesced.get() + this.digested.get() + this.dropped.get()
					+ this.failed.get();
		}

		@Override
		public void delivered(TransitionSnapshot snapshot, Duration took) {
			this.delivered.incrementAndGet();
		}

		@Override
		public void coalesced(TransitionSnapshot snapshot) {
			this.coalesced.incrementAndGet();
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
