package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.action.ActionButtons;
import dev.fluxgate.slack.action.ActionObserver;
import dev.fluxgate.slack.action.ActionSettings;
import dev.fluxgate.slack.action.AllowListAuthorizer;
import dev.fluxgate.slack.action.BreakerAction;
import dev.fluxgate.slack.action.Click;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.socket.Envelope;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import dev.fluxgate.slack.thread.Fleet;
import dev.fluxgate.slack.thread.SlackThread;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The buttons of a thread acting on a fleet: replicas of one service, each with its own circuit breaker
 * {@code payment-api}, its own Redis connections, thread store and action store, share one {@code redis-server} and
 * one Slack channel. An action clicked on any replica is applied by every replica, also by one that missed its
 * publication, and is echoed once in the fleet's one thread; the marks it leaves are the fleet's. A click that Slack
 * delivers to two replicas is applied once, and a click while Redis does not answer fails and its user is told.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class ActionsFleetTests {

	private static final String PREFIX = "fluxgate:slack";

	private static final String NAME = "payment-api";

	private static final String ALLOWED = "U0ALLOWED";

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	/** Long enough that, within a test, only the startup's reconciliation and pub/sub carry an action. */
	private static final Duration PUB_SUB_ONLY = Duration.ofMinutes(5);

	private static final Duration RECONCILE_OFTEN = Duration.ofMillis(500);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@BeforeEach
	void emptyRedis() {
		redis.flush();
	}

	@AfterEach
	void stopReplicas() throws Exception {
		Collections.reverse(this.closeables);
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void anActionReceivedByOneReplicaIsAppliedByEvery() {
		Replica a = replica("pod-a", PUB_SUB_ONLY);
		Replica b = replica("pod-b", PUB_SUB_ONLY);
		awaitSubscribers(2);
		Post root = tripBoth(a, b);

		a.click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).withValue(a.currentValue()));
		await().untilAsserted(() -> {
			assertThat(a.breaker.getState()).isEqualTo(State.FORCED_OPEN);
			assertThat(b.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		});
		assertThat(echoes("forced")).singleElement().satisfies((echo) -> {
			assertThat(echo.text()).isEqualTo("<@U0ALLOWED> forced payment-api open on every instance");
			assertThat(echo.threadTs()).isEqualTo(root.ts());
		});
		await().until(() -> membersIn(a, State.FORCED_OPEN));
		assertThat(slack.posts()).as("one thread: the fleet's transitions are replies in it")
			.filteredOn((post) -> post.threadTs() == null)
			.extracting(Post::ts)
			.containsExactly(root.ts());

		a.click(Click.on(ALLOWED, root, BreakerAction.CLOSE).withValue(a.currentValue()));
		await().untilAsserted(() -> {
			assertThat(a.breaker.getState()).isEqualTo(State.CLOSED);
			assertThat(b.breaker.getState()).isEqualTo(State.CLOSED);
		});
		await().until(() -> a.thread() == null && slack.posts().stream().anyMatch(Post::broadcast));
		assertThat(echoes("closed")).extracting(Post::text)
			.containsExactly("<@U0ALLOWED> closed payment-api on every instance");
		assertThat(slack.posts()).as("the thread ends once").filteredOn(Post::broadcast).singleElement()
			.satisfies((recovery) -> assertThat(recovery.threadTs()).isEqualTo(root.ts()));
		assertThat(slack.posts()).filteredOn((post) -> post.threadTs() == null)
			.extracting(Post::ts)
			.containsExactly(root.ts());
		assertThat(a.clicks).containsExactly("FORCE_OPEN applied", "CLOSE applied");
		assertThat(b.clicks).as("B applied what it was told, and was clicked on never").isEmpty();
		assertThat(slack.ephemerals()).isEmpty();
	}

	@Test
	void aReplicaThatStartsAfterTheActionReconcilesFromRedis() {
		Replica a = replica("pod-a", PUB_SUB_ONLY);
		a.breaker.transitionToOpenState();
		Post root = rootOf(a);
		a.click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).withValue(a.currentValue()));
		assertThat(a.breaker.getState()).isEqualTo(State.FORCED_OPEN);

		Replica b = replica("pod-b", PUB_SUB_ONLY);
		await().untilAsserted(() -> assertThat(b.breaker.getState()).isEqualTo(State.FORCED_OPEN));
		await().until(() -> membersIn(a, State.FORCED_OPEN) && a.thread().fleet().members().size() == 2);
		assertThat(slack.posts()).as("the late replica joins the thread").filteredOn((post) -> post.threadTs() == null)
			.extracting(Post::ts)
			.containsExactly(root.ts());
		assertThat(echoes("forced")).hasSize(1);
	}

	@Test
	void aReplicaThatMissedThePublishedActionReconcilesFromRedis() {
		Replica a = replica("pod-a", RECONCILE_OFTEN);
		Replica b = replica("pod-b", RECONCILE_OFTEN);
		awaitSubscribers(2);
		Post root = tripBoth(a, b);
		b.actionStore.close();
		awaitSubscribers(1);

		a.click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).withValue(a.currentValue()));
		assertThat(a.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(b.breaker.getState()).isEqualTo(State.FORCED_OPEN));
		await().until(() -> membersIn(a, State.FORCED_OPEN));

		a.click(Click.on(ALLOWED, root, BreakerAction.ACKNOWLEDGE).withValue(a.currentValue()));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> ALLOWED.equals(b.listener.getMarks(root.ts()).acknowledgedBy()));
	}

	@Test
	void acknowledgeAndSilenceAreSharedByTheFleet() {
		Replica a = replica("pod-a", PUB_SUB_ONLY);
		Replica b = replica("pod-b", PUB_SUB_ONLY);
		awaitSubscribers(2);
		Post root = tripBoth(a, b);

		a.click(Click.on(ALLOWED, root, BreakerAction.ACKNOWLEDGE).withValue(a.currentValue()));
		await().until(() -> ALLOWED.equals(b.listener.getMarks(root.ts()).acknowledgedBy()));
		assertThat(echoes("acknowledged")).extracting(Post::text)
			.containsExactly("<@U0ALLOWED> acknowledged payment-api");

		a.click(Click.on(ALLOWED, root, BreakerAction.SILENCE_30_MINUTES).withValue(a.currentValue()));
		await().until(() -> ALLOWED.equals(b.listener.getMarks(root.ts()).silencedBy()));
		assertThat(echoes("silenced")).hasSize(1);
		int before = slack.posts().size();
		b.breaker.transitionToHalfOpenState();
		await().pollDelay(Duration.ofMillis(500)).until(() -> membersIn(a, State.HALF_OPEN, State.OPEN));
		assertThat(slack.posts()).as("B's reply is held back").hasSize(before);

		b.breaker.transitionToClosedState();
		a.breaker.transitionToHalfOpenState();
		a.breaker.transitionToClosedState();
		await().until(() -> slack.posts().stream().anyMatch(Post::broadcast));
		assertThat(slack.posts()).as("the recovery always comes").filteredOn(Post::broadcast).singleElement()
			.satisfies((recovery) -> assertThat(recovery.threadTs()).isEqualTo(root.ts()));
	}

	// Slack hands an envelope it saw no ack for to another connection, after the first replica may have applied it.
	@Test
	void anEnvelopeDeliveredToTwoReplicasIsAppliedOnce() {
		Replica a = replica("pod-a", PUB_SUB_ONLY);
		Replica b = replica("pod-b", PUB_SUB_ONLY);
		awaitSubscribers(2);
		Post root = tripBoth(a, b);
		Click click = Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).withValue(a.currentValue());

		a.click(click);
		b.click(click);
		await().untilAsserted(() -> {
			assertThat(a.breaker.getState()).isEqualTo(State.FORCED_OPEN);
			assertThat(b.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		});
		await().until(() -> membersIn(a, State.FORCED_OPEN));
		assertThat(echoes("forced")).hasSize(1);
		assertThat(a.clicks).containsExactly("FORCE_OPEN applied");
		assertThat(b.clicks).as("Slack's second delivery of one click is no click of its own").isEmpty();
		assertThat(slack.ephemerals()).as("nobody is told that their applied click was refused").isEmpty();
	}

	@Test
	void anEnvelopeDeliveredToTwoReplicasAtOnceIsAppliedOnce() {
		Replica a = replica("pod-a", PUB_SUB_ONLY);
		Replica b = replica("pod-b", PUB_SUB_ONLY);
		awaitSubscribers(2);
		Post root = tripBoth(a, b);
		Envelope envelope = Click.on(ALLOWED, root, BreakerAction.ACKNOWLEDGE).withValue(a.currentValue()).envelope();

		Flux.merge(a.listener.getActions().handle(envelope).subscribeOn(Schedulers.boundedElastic()),
				b.listener.getActions().handle(envelope).subscribeOn(Schedulers.boundedElastic()))
			.blockLast(Duration.ofSeconds(10));
		await().until(() -> ALLOWED.equals(a.listener.getMarks(root.ts()).acknowledgedBy())
				&& ALLOWED.equals(b.listener.getMarks(root.ts()).acknowledgedBy()));
		assertThat(echoes("acknowledged")).hasSize(1);
		List<String> clicks = new ArrayList<>(a.clicks);
		clicks.addAll(b.clicks);
		assertThat(clicks).containsExactly("ACKNOWLEDGE applied");
		assertThat(slack.ephemerals()).isEmpty();
	}

	@Test
	void redisDownMeansTheClickFailsAndTheUserIsTold() {
		Replica a = replica("pod-a", PUB_SUB_ONLY);
		a.breaker.transitionToOpenState();
		Post root = rootOf(a);
		Click click = Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).withValue(a.currentValue());
		redis.pause();
		try {
			a.click(click);
		}
		finally {
			redis.resume();
		}
		assertThat(a.breaker.getState()).isEqualTo(State.OPEN);
		assertThat(a.clicks).containsExactly("FORCE_OPEN failed");
		assertThat(slack.ephemerals()).singleElement().satisfies((ephemeral) -> {
			assertThat(ephemeral.at("$.user")).isEqualTo(ALLOWED);
			assertThat(ephemeral.text()).startsWith("Could not apply Force open: the fleet's store did not answer in time")
				.doesNotContain("sinkOne");
		});
		assertThat(echoes("forced")).isEmpty();
	}

	private Replica replica(String instanceId, Duration reconcileInterval) {
		LettuceConnectionFactory connection = redis.newConnectionFactory();
		this.closeables.add(connection::destroy);
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(connection);
		RedisActionStore actionStore = new RedisActionStore(template, PREFIX, Duration.ofDays(7), TIMEOUT);
		this.closeables.add(actionStore);
		WebClientSlackClient client = WebClientSlackClient.builder()
			.token(SlackStandIn.TOKEN)
			.baseUrl(slack.baseUrl())
			.build();
		List<String> clicks = new CopyOnWriteArrayList<>();
		ActionObserver observer = new ActionObserver() {
			@Override
			public void clicked(BreakerAction action, Outcome outcome) {
				clicks.add(action + " " + outcome.tag());
			}
		};
		SlackListener listener = slack.configure(SlackListener.builder())
			.client(client)
			.threadStore(new FallbackThreadStore(new RedisThreadStore(template, PREFIX, Duration.ofDays(7), TIMEOUT),
					() -> DeliveryObserver.NONE))
			.fleet(instanceId, Duration.ofSeconds(10))
			.actions(new ActionSettings(
					new AllowListAuthorizer(Set.of(ALLOWED), Set.of(), client, Duration.ofMinutes(1)), actionStore,
					observer, reconcileInterval, null))
			.build();
		this.closeables.add(listener::close);
		listener.getActions().connected(Click.APP);
		CircuitBreaker breaker = CircuitBreaker.ofDefaults(NAME);
		listener.bindTo(breaker);
		return new Replica(listener, breaker, actionStore, clicks);
	}

	/** Trip A, then B: one root, B's trip a reply in its thread. */
	private static Post tripBoth(Replica a, Replica b) {
		a.breaker.transitionToOpenState();
		Post root = rootOf(a);
		b.breaker.transitionToOpenState();
		await().until(() -> a.thread().fleet().members().size() == 2 && slack.posts().size() == 2);
		assertThat(slack.posts().get(1).threadTs()).isEqualTo(root.ts());
		return root;
	}

	/** The root of the fleet's thread, once the replica's trip posted it and the thread in Redis tells its ts. */
	private static Post rootOf(Replica replica) {
		await().until(() -> !slack.delivered().isEmpty());
		Post root = slack.delivered().get(0);
		await().until(() -> replica.thread() != null && root.ts().equals(replica.thread().threadTs()));
		assertThat(root.threadTs()).isNull();
		assertThat(root.buttons()).isNotEmpty();
		return root;
	}

	private static List<Post> echoes(String verb) {
		return slack.posts().stream().filter((post) -> String.valueOf(post.text()).startsWith("<@U0ALLOWED> " + verb))
			.toList();
	}

	/** Whether every member of the fleet's thread is in one of the states. */
	private static boolean membersIn(Replica replica, State... states) {
		SlackThread thread = replica.thread();
		return thread != null && thread.fleet().members().values().stream()
			.map(Fleet.Member::state)
			.allMatch((state) -> Set.of(states).contains(state));
	}

	// Pub/sub drops what is published before a subscription is made, so the tests wait for it.
	private static void awaitSubscribers(long count) {
		String channel = "{" + PREFIX + "}:actions";
		RedisClient client = (RedisClient) redis.connectionFactory().getRequiredNativeClient();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				return connection.sync().pubsubNumsub(channel).get(channel) == count;
			}
		});
	}

	/**
	 * One replica: its listener, its own breaker, its own action store and the outcomes of the clicks it received.
	 */
	private record Replica(SlackListener listener, CircuitBreaker breaker, RedisActionStore actionStore,
			List<String> clicks) {

		void click(Click click) {
			this.listener.getActions().handle(click.envelope()).block(Duration.ofSeconds(10));
		}

		SlackThread thread() {
			return this.listener.getThreadStore().find(NAME).block();
		}

		/** The value the root's buttons carry now: the fleet thread's state. */
		String currentValue() {
			SlackThread thread = thread();
			return ActionButtons.value(thread.state(), thread.stateSince());
		}

	}

}
