package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.action.ActionEvent;
import dev.fluxgate.slack.action.ActionStore.Signal;
import dev.fluxgate.slack.action.ActionStore.Snapshot;
import dev.fluxgate.slack.action.BreakerAction;
import dev.fluxgate.slack.action.ThreadMarks;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis action store against a real {@code redis-server}: an envelope is claimed once, an action recorded by one
 * replica reaches every replica and is kept for those that missed it, the subscription outlives a restart of Redis
 * and then says to reconcile, and every key is under the application's prefix with a TTL.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class RedisActionStoreTests {

	private static final String PREFIX = "fluxgate:slack:orders";

	private static final Duration TTL = Duration.ofDays(7);

	private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@BeforeEach
	void forgetEveryKey() {
		redis.flush();
	}

	@AfterEach
	void close() throws Exception {
		Collections.reverse(this.closeables);
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void anEnvelopeIsClaimedOnce() {
		RedisActionStore one = store(PREFIX);
		RedisActionStore other = store(PREFIX);
		List<Boolean> claims = Flux.merge(one.claim("E1"), other.claim("E1")).collectList().block();
		assertThat(claims).containsExactlyInAnyOrder(true, false);
		assertThat(one.claim("E1").block()).as("claimed again by the same replica").isFalse();
		assertThat(one.claim("E2").block()).isTrue();
	}

	@Test
	void anActionRecordedByOneReplicaReachesEveryReplica() {
		RedisActionStore recorder = store(PREFIX);
		RedisActionStore other = store(PREFIX);
		List<Signal> seenByRecorder = subscribe(recorder);
		List<Signal> seenByOther = subscribe(other);
		awaitSubscribers(PREFIX, 2);
		ActionEvent forceOpen = event("E1", BreakerAction.FORCE_OPEN, null);
		recorder.record(forceOpen).block();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(seenByRecorder).containsExactly(new Signal(forceOpen));
			assertThat(seenByOther).containsExactly(new Signal(forceOpen));
		});
		assertThat(recorder.isShared()).isTrue();
	}

	@Test
	void theSnapshotHoldsWhatWasDesired() {
		RedisActionStore store = store(PREFIX);
		assertThat(store.snapshot().block()).isEqualTo(Snapshot.EMPTY);
		ActionEvent forceOpen = event("E1", BreakerAction.FORCE_OPEN, null);
		store.record(forceOpen).block();
		store.record(event("E2", BreakerAction.ACKNOWLEDGE, null)).block();
		Instant until = AT.plus(Duration.ofMinutes(30));
		store.record(event("E3", BreakerAction.SILENCE_30_MINUTES, until)).block();
		Snapshot snapshot = store.snapshot().block();
		assertThat(snapshot.forcedOpen()).containsExactlyEntriesOf(Map.of("payment", forceOpen));
		assertThat(snapshot.marks()).containsExactlyEntriesOf(
				Map.of("1700000000.000100", new ThreadMarks("U0123", "U0123", until)));
		store.record(event("E4", BreakerAction.CLOSE, null)).block();
		assertThat(store.snapshot().block().forcedOpen()).as("closed, no longer forced").isEmpty();
		store.record(event("E5", BreakerAction.UNSILENCE, null)).block();
		assertThat(store.snapshot().block().marks())
			.containsExactlyEntriesOf(Map.of("1700000000.000100", new ThreadMarks("U0123", null, null)));
		store.record(event("E6", BreakerAction.UNACKNOWLEDGE, null)).block();
		assertThat(store.snapshot().block()).as("every mark undone").isEqualTo(Snapshot.EMPTY);
		store.record(event("E7", BreakerAction.SILENCE_UNTIL_RECOVERED, ThreadMarks.UNTIL_RECOVERED)).block();
		assertThat(store.snapshot().block().marks().get("1700000000.000100").silencedUntil())
			.isEqualTo(ThreadMarks.UNTIL_RECOVERED);
	}

	@Test
	void aReplicaThatMissedTheMessageReconcilesFromTheSnapshot() {
		RedisActionStore recorder = store(PREFIX);
		RedisActionStore late = store(PREFIX);
		ActionEvent forceOpen = event("E1", BreakerAction.FORCE_OPEN, null);
		recorder.record(forceOpen).block();
		recorder.record(event("E2", BreakerAction.ACKNOWLEDGE, null)).block();
		List<Signal> seenLate = subscribe(late);
		awaitSubscribers(PREFIX, 1);
		Snapshot snapshot = late.snapshot().block();
		assertThat(seenLate).as("published before it subscribed").isEmpty();
		assertThat(snapshot.forcedOpen()).containsEntry("payment", forceOpen);
		assertThat(snapshot.marks()).containsEntry("1700000000.000100", new ThreadMarks("U0123", null, null));
	}

	@Test
	void afterRedisComesBackTheEventsResubscribeAndSayReconcile() throws Exception {
		// connection factories of their own: stopping the server closes those of its templates
		RedisActionStore listener = new RedisActionStore(ownTemplate(), PREFIX, TTL, Duration.ofSeconds(2));
		this.closeables.add(listener);
		RedisActionStore recorder = new RedisActionStore(ownTemplate(), PREFIX, TTL, Duration.ofSeconds(5));
		this.closeables.add(recorder);
		List<Signal> seen = subscribe(listener);
		awaitSubscribers(PREFIX, 1);
		assertThat(seen).as("no reconciliation on the first subscription").isEmpty();
		redis.stop();
		Thread.sleep(1500);
		redis.start();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(seen).contains(Signal.RESUBSCRIBED));
		ActionEvent forceOpen = event("E1", BreakerAction.FORCE_OPEN, null);
		recorder.record(forceOpen).block();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(seen).containsSubsequence(Signal.RESUBSCRIBED, new Signal(forceOpen)));
	}

	@Test
	void aSubscriptionMadeWhileRedisIsDownIsRetriedAndThenSaysReconcile() throws Exception {
		RedisActionStore listener = new RedisActionStore(ownTemplate(), PREFIX, TTL, Duration.ofSeconds(2));
		this.closeables.add(listener);
		RedisActionStore recorder = new RedisActionStore(ownTemplate(), PREFIX, TTL, Duration.ofSeconds(5));
		this.closeables.add(recorder);
		redis.stop();
		List<Signal> seen = subscribe(listener);
		Thread.sleep(2500);
		redis.start();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(seen).contains(Signal.RESUBSCRIBED));
		ActionEvent forceOpen = event("E1", BreakerAction.FORCE_OPEN, null);
		recorder.record(forceOpen).block();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(seen).containsSubsequence(Signal.RESUBSCRIBED, new Signal(forceOpen)));
	}

	@Test
	void closingTheStoreEndsItsEventsAndItsSubscription() {
		RedisActionStore store = store(PREFIX);
		AtomicBoolean completed = new AtomicBoolean();
		Disposable subscription = store.events().subscribe(null, null, () -> completed.set(true));
		this.closeables.add(subscription::dispose);
		awaitSubscribers(PREFIX, 1);
		store.close();
		await().atMost(Duration.ofSeconds(5)).untilTrue(completed);
		awaitSubscribers(PREFIX, 0);
	}

	@Test
	void aMalformedMessageIsSkipped() {
		RedisActionStore store = store(PREFIX);
		List<Signal> seen = subscribe(store);
		awaitSubscribers(PREFIX, 1);
		redis.template().convertAndSend("{" + PREFIX + "}:actions", "{\"not\":\"an event\"").block();
		redis.template().convertAndSend("{" + PREFIX + "}:actions", "{\"action\":\"FORCE_OPEN\"}").block();
		ActionEvent forceOpen = event("E1", BreakerAction.FORCE_OPEN, null);
		store.record(forceOpen).block();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seen).containsExactly(new Signal(forceOpen)));
	}

	@Test
	void keysLiveUnderThePrefixWithATtlButForcedOpenWhichLastsUntilClosed() {
		RedisActionStore store = store(PREFIX);
		store.claim("E1").block();
		store.record(event("E1", BreakerAction.FORCE_OPEN, null)).block();
		store.record(event("E2", BreakerAction.ACKNOWLEDGE, null)).block();
		store.record(event("E3", BreakerAction.SILENCE_2_HOURS, AT.plus(Duration.ofHours(2)))).block();
		ReactiveStringRedisTemplate template = redis.template();
		List<String> keys = template.keys("*").collectList().block();
		assertThat(keys).containsExactlyInAnyOrder("{" + PREFIX + "}:action:envelope:E1",
				"{" + PREFIX + "}:action:forced", "{" + PREFIX + "}:action:threads",
				"{" + PREFIX + "}:action:marks:1700000000.000100");
		assertThat(keys).filteredOn((key) -> !key.endsWith(":action:forced"))
			.allSatisfy((key) -> assertThat(template.getExpire(key).block()).isPositive());
		assertThat(template.getExpire("{" + PREFIX + "}:action:envelope:E1").block())
			.isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
		assertThat(template.getExpire("{" + PREFIX + "}:action:forced").block())
			.as("Force open is a standing order: undone by Close or Reset, never by time")
			.isEqualTo(Duration.ZERO);
		assertThat(template.<String, String>opsForHash()
			.entries("{" + PREFIX + "}:action:marks:1700000000.000100")
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.block()).containsOnlyKeys("acknowledgedBy", "silencedBy", "silencedUntil")
			.containsEntry("silencedUntil", String.valueOf(AT.plus(Duration.ofHours(2)).toEpochMilli()));
		assertThat(store.toString()).contains(PREFIX).doesNotContain("xoxb-", "xapp-");
	}

	@Test
	void twoAppsOnOneRedisDoNotSeeEachOthersActions() {
		RedisActionStore orders = store(PREFIX);
		RedisActionStore billing = store("fluxgate:slack:billing");
		List<Signal> seenByOrders = subscribe(orders);
		List<Signal> seenByBilling = subscribe(billing);
		awaitSubscribers(PREFIX, 1);
		awaitSubscribers("fluxgate:slack:billing", 1);
		ActionEvent forceOpen = event("E1", BreakerAction.FORCE_OPEN, null);
		orders.record(forceOpen).block();
		orders.record(event("E2", BreakerAction.ACKNOWLEDGE, null)).block();
		assertThat(billing.claim("E1").block()).as("each app claims its own envelopes").isTrue();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seenByOrders).hasSize(2));
		billing.record(event("E9", BreakerAction.RESET, null)).block();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seenByBilling).hasSize(1));
		assertThat(seenByBilling).extracting((signal) -> signal.event().envelopeId()).containsExactly("E9");
		assertThat(billing.snapshot().block()).isEqualTo(Snapshot.EMPTY);
		assertThat(orders.snapshot().block().forcedOpen()).containsEntry("payment", forceOpen);
	}

	private RedisActionStore store(String prefix) {
		RedisActionStore store = new RedisActionStore(redis.template(), prefix, TTL, Duration.ofSeconds(2));
		this.closeables.add(store);
		return store;
	}

	private ReactiveStringRedisTemplate ownTemplate() {
		LettuceConnectionFactory factory = redis.newConnectionFactory();
		this.closeables.add(factory::destroy);
		return new ReactiveStringRedisTemplate(factory);
	}

	private List<Signal> subscribe(RedisActionStore store) {
		List<Signal> seen = new CopyOnWriteArrayList<>();
		Disposable subscription = store.events().subscribe(seen::add);
		this.closeables.add(subscription::dispose);
		return seen;
	}

	// Pub/sub drops what is published before the subscription is made, so the tests wait for it.
	private static void awaitSubscribers(String prefix, long count) {
		String channel = "{" + prefix + "}:actions";
		RedisClient client = (RedisClient) redis.connectionFactory().getRequiredNativeClient();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				return connection.sync().pubsubNumsub(channel).get(channel) == count;
			}
		});
	}

	private static ActionEvent event(String envelopeId, BreakerAction action, Instant silencedUntil) {
		return new ActionEvent(envelopeId, action, "payment", "C0123456789", "1700000000.000100", "U0123",
				silencedUntil, "replica-1", AT);
	}

}
