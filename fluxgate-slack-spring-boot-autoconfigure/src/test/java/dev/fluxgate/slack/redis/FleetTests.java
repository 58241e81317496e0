package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint.MemberDescriptor;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint.ThreadDescriptor;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import dev.fluxgate.slack.thread.Fleet;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Several replicas of a service, each with its own circuit breaker {@code payment}, its own Redis connection and its
 * own instance id, share one Redis and one Slack channel: one outage is one thread.
 */
@ExtendWith(OutputCaptureExtension.class)
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class FleetTests {

	private static final Duration FAST_HEARTBEAT = Duration.ofMillis(200);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	private final List<AsyncSlackListener> replicas = new ArrayList<>();

	@BeforeEach
	void emptyRedis() {
		redis.flush();
	}

	@AfterEach
	void stopReplicas() {
		this.replicas.forEach(AsyncSlackListener::close);
		this.connections.forEach(LettuceConnectionFactory::destroy);
	}

	private AsyncSlackListener replica(String instanceId, Duration heartbeat) {
		return replica(instanceId, heartbeat, null);
	}

	private AsyncSlackListener replica(String instanceId, Duration heartbeat, ChannelPacer pacer) {
		return replica(instanceId, heartbeat, pacer, Duration.ofDays(7));
	}

	private AsyncSlackListener replica(String instanceId, Duration heartbeat, ChannelPacer pacer, Duration threadTtl) {
		LettuceConnectionFactory connection = redis.newConnectionFactory();
		this.connections.add(connection);
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(connection);
		ThreadStore store = new FallbackThreadStore(new RedisThreadStore(template, "fluxgate:slack", threadTtl,
				Duration.ofMillis(500)), () -> DeliveryObserver.NONE);
		AsyncSlackListener listener = slack.configure(AsyncSlackListener.builder())
			.threadStore(store)
			.fleet(instanceId, heartbeat)
			.pacer((pacer != null)
					? pacer.sharedBy(new RedisSharedPace(template, "fluxgate:slack", Duration.ofMillis(500))) : null)
			.build();
		this.replicas.add(listener);
		return listener;
	}

	private static CircuitBreaker breaker(AsyncSlackListener replica, String name) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		replica.bindTo(circuitBreaker);
		return circuitBreaker;
	}

	private static List<Post> postsAbout(String name) {
		return slack.delivered().stream().filter((post) -> post.rawBody().contains("\\n" + name + "\"")).toList();
	}

	private static boolean threadInRedis(String name) {
		return new ReactiveStringRedisTemplate(redis.connectionFactory()).hasKey("{fluxgate:slack}:thread:" + name)
			.block();
	}

	private static SlackThread threadOf(AsyncSlackListener replica, String name) {
		return replica.getThreadStore().find(name).block();
	}

	@Test
	void threeReplicasTrippingAtOnceStartOneThreadFiftyTimesOutOfFifty() throws Exception {
		List<AsyncSlackListener> fleet = List.of(replica("pod-a", Duration.ofSeconds(10)),
				replica("pod-b", Duration.ofSeconds(10)), replica("pod-c", Duration.ofSeconds(10)));
		ExecutorService callers = Executors.newFixedThreadPool(3);
		try {
			for (int round = 0; round < 50; round++) {
				String name = "payment-" + round;
				List<CircuitBreaker> breakers = fleet.stream().map((replica) -> breaker(replica, name)).toList();
				CountDownLatch start = new CountDownLatch(1);
				List<Future<?>> trips = new ArrayList<>();
				for (CircuitBreaker breaker : breakers) {
					trips.add(callers.submit(() -> {
						start.await();
						breaker.transitionToOpenState();
						return null;
					}));
				}
				start.countDown();
				for (Future<?> trip : trips) {
					trip.get(10, TimeUnit.SECONDS);
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> postsAbout(name).size() == 3);
				List<Post> posts = postsAbout(name);
				List<Post> roots = posts.stream().filter((post) -> post.threadTs() == null).toList();
				assertThat(roots).as("round %d: one root", round).hasSize(1);
				assertThat(posts).as("round %d: the others reply in its thread", round)
					.filteredOn((post) -> post.threadTs() != null)
					.extracting(Post::threadTs)
					.containsExactly(roots.get(0).ts(), roots.get(0).ts());
				await().until(() -> threadOf(fleet.get(0), name).fleet().members().size() == 3);
				assertThat(threadOf(fleet.get(0), name).fleet().members()).containsOnlyKeys("pod-a", "pod-b", "pod-c");
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(slack.delivered()).as("each message tells which replica sent it")
			.allSatisfy((post) -> assertThat(post.rawBody()).containsPattern("\\*Instance:\\*\\\\npod-[abc]"));
	}

	@Test
	void replicasThatRecoverWhileOthersFailReplyQuietlyAndTheLastOneBroadcastsTheRecovery() {
		AsyncSlackListener a = replica("pod-a", Duration.ofSeconds(10));
		AsyncSlackListener b = replica("pod-b", Duration.ofSeconds(10));
		AsyncSlackListener c = replica("pod-c", Duration.ofSeconds(10));
		CircuitBreaker onA = breaker(a, "payment");
		CircuitBreaker onB = breaker(b, "payment");
		CircuitBreaker onC = breaker(c, "payment");
		onA.transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		onB.transitionToOpenState();
		onC.transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 3);
		await().until(() -> slack.updates().stream().anyMatch((edit) -> edit.text().contains("— OPEN on 3 instances")));
		String root = postsAbout("payment").get(0).ts();

		onA.transitionToHalfOpenState();
		onA.transitionToClosedState();
		await().until(() -> postsAbout("payment").size() == 5);
		Post aLeaves = postsAbout("payment").get(4);
		assertThat(aLeaves.threadTs()).isEqualTo(root);
		assertThat(aLeaves.broadcast()).as("a replica's recovery while others fail is not broadcast").isFalse();
		assertThat(aLeaves.rawBody()).contains("Still failing on 2 instances:* pod-b (OPEN), pod-c (OPEN)");
		await().until(() -> slack.updates().stream().anyMatch((edit) -> edit.text().contains("— OPEN on 2 instances")));

		onB.transitionToHalfOpenState();
		onB.transitionToClosedState();
		await().until(() -> postsAbout("payment").size() == 7);
		Post bLeaves = postsAbout("payment").get(6);
		assertThat(bLeaves.broadcast()).isFalse();
		assertThat(bLeaves.rawBody()).contains("Still failing on 1 instance:* pod-c (OPEN)");
		await().until(() -> slack.updates().stream().anyMatch((edit) -> edit.text().contains("— OPEN on 1 instance:")));

		onC.transitionToHalfOpenState();
		onC.transitionToClosedState();
		await().until(() -> postsAbout("payment").size() == 9);
		Post recovery = postsAbout("payment").get(8);
		assertThat(recovery.threadTs()).isEqualTo(root);
		assertThat(recovery.broadcast()).as("the last member's recovery is broadcast").isTrue();
		assertThat(recovery.rawBody()).doesNotContain("Still failing").contains("*Outage:*");
		assertThat(postsAbout("payment")).filteredOn(Post::broadcast).hasSize(1);
		await().until(() -> slack.updates().stream().anyMatch((edit) -> edit.text().contains("✅ Recovered after")));
		await().until(() -> !threadInRedis("payment"));
	}

	@Test
	void aCycleWhoseLastMemberStopsReportingIsEndedByALiveReplica() {
		AsyncSlackListener a = replica("pod-a", FAST_HEARTBEAT);
		AsyncSlackListener b = replica("pod-b", FAST_HEARTBEAT);
		AsyncSlackListener c = replica("pod-c", FAST_HEARTBEAT);
		CircuitBreaker onA = breaker(a, "payment");
		CircuitBreaker onB = breaker(b, "payment");
		breaker(c, "payment").transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		onA.transitionToOpenState();
		onB.transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 3);
		String root = postsAbout("payment").get(0).ts();

		c.close();
		onA.transitionToHalfOpenState();
		onA.transitionToClosedState();
		onB.transitionToHalfOpenState();
		onB.transitionToClosedState();

		await().atMost(Duration.ofSeconds(10)).until(() -> slack.delivered()
			.stream()
			.anyMatch((post) -> post.text().contains("ended: its last instance, pod-c, stopped reporting")));
		List<Post> ended = slack.delivered()
			.stream()
			.filter((post) -> post.text().contains("stopped reporting"))
			.toList();
		assertThat(ended).as("one live replica, decided atomically, tells it").hasSize(1);
		assertThat(ended.get(0).threadTs()).isEqualTo(root);
		assertThat(ended.get(0).broadcast()).isFalse();
		assertThat(postsAbout("payment")).noneMatch(Post::broadcast);
		await().until(() -> slack.updates()
			.stream()
			.anyMatch((edit) -> edit.text().contains("ended: its last instance, pod-c, stopped reporting")));
		assertThat(threadInRedis("payment")).isFalse();
	}

	@Test
	void aCycleWhoseOnlyMemberDiesIsEndedByAReplicaNeverInItAndTheNextOutageStartsANewRoot() {
		AsyncSlackListener a = replica("pod-a", FAST_HEARTBEAT);
		AsyncSlackListener b = replica("pod-b", FAST_HEARTBEAT);
		CircuitBreaker onB = breaker(b, "payment");
		breaker(a, "payment").transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		String deadRoot = postsAbout("payment").get(0).ts();
		await().until(() -> threadOf(b, "payment").threadTs() != null);

		a.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> slack.delivered()
			.stream()
			.anyMatch((post) -> post.text().contains("its last instance, pod-a, stopped reporting")));
		assertThat(slack.delivered()).filteredOn((post) -> post.text().contains("stopped reporting"))
			.singleElement()
			.satisfies((post) -> assertThat(post.threadTs()).isEqualTo(deadRoot));
		await().until(() -> !threadInRedis("payment"));

		onB.transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 2);
		Post next = postsAbout("payment").get(1);
		assertThat(next.threadTs()).as("the next outage is a new root, not a reply in the dead thread").isNull();
		assertThat(next.rawBody()).contains("*Instance:*\\npod-b");
	}

	@Test
	void aReplicaWhoseBreakerLeavesItsRegistryLeavesTheCycleToTheOthers() {
		AsyncSlackListener a = replica("pod-a", Duration.ofSeconds(10));
		AsyncSlackListener b = replica("pod-b", Duration.ofSeconds(10));
		CircuitBreaker onA = breaker(a, "payment");
		CircuitBreaker onB = breaker(b, "payment");
		onA.transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		onB.transitionToOpenState();
		await().until(() -> threadOf(a, "payment").fleet().members().size() == 2);
		String root = postsAbout("payment").get(0).ts();

		a.release(onA);
		await().until(() -> threadOf(b, "payment").fleet().members().keySet().equals(Set.of("pod-b")));
		onB.transitionToHalfOpenState();
		onB.transitionToClosedState();
		await().until(() -> postsAbout("payment").size() == 4);
		Post recovery = postsAbout("payment").get(3);
		assertThat(recovery.threadTs()).as("the thread outlived pod-a's breaker").isEqualTo(root);
		assertThat(recovery.broadcast()).isTrue();
	}

	@Test
	void theEndOfAnAbandonedCycleIsRetriedLikeAnyMessage() {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("stopped reporting"))
			.atPriority(1)
			.inScenario("end refused once")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("refused"));
		AsyncSlackListener a = replica("pod-a", FAST_HEARTBEAT);
		replica("pod-b", FAST_HEARTBEAT);
		breaker(a, "payment").transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1 && threadOf(a, "payment").threadTs() != null);
		a.close();
		await().atMost(Duration.ofSeconds(15)).until(() -> slack.delivered()
			.stream()
			.anyMatch((post) -> post.text().contains("stopped reporting")));
		assertThat(slack.posts()).filteredOn((post) -> post.rawBody().contains("stopped reporting")).hasSize(2);
	}

	@Test
	void heartbeatsGoOnWhileTheEndOfACycleWaitsOnSlack() {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("stopped reporting"))
			.atPriority(1)
			.willReturn(SlackStandIn.ok().withFixedDelay(3000)));
		AsyncSlackListener a = replica("pod-a", FAST_HEARTBEAT);
		AsyncSlackListener b = replica("pod-b", FAST_HEARTBEAT);
		AsyncSlackListener c = replica("pod-c", FAST_HEARTBEAT);
		breaker(c, "payment").transitionToOpenState();
		breaker(a, "orders").transitionToOpenState();
		await().until(() -> postsAbout("orders").size() == 1 && postsAbout("payment").size() == 1);
		breaker(b, "orders").transitionToOpenState();
		await().until(() -> threadOf(a, "orders").fleet().members().size() == 2);

		c.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> slack.posts()
			.stream()
			.anyMatch((post) -> post.rawBody().contains("stopped reporting")));
		Instant aBefore = threadOf(a, "orders").fleet().members().get("pod-a").heartbeat();
		Instant bBefore = threadOf(a, "orders").fleet().members().get("pod-b").heartbeat();
		await("both renew while Slack takes 3 s to answer the end").atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			Map<String, Fleet.Member> members = threadOf(a, "orders").fleet().members();
			assertThat(members.get("pod-a").heartbeat()).isAfter(aBefore);
			assertThat(members.get("pod-b").heartbeat()).isAfter(bBefore);
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> slack.delivered()
			.stream()
			.anyMatch((post) -> post.rawBody().contains("stopped reporting")));
	}

	@Test
	void theThreadOfAnOutageWhoseMembersKeepReportingOutlivesTheThreadTtl() {
		AsyncSlackListener a = replica("pod-a", FAST_HEARTBEAT, null, Duration.ofSeconds(2));
		CircuitBreaker onA = breaker(a, "payment");
		onA.transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		String root = postsAbout("payment").get(0).ts();
		await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);

		onA.transitionToHalfOpenState();
		await().until(() -> postsAbout("payment").size() == 2);
		assertThat(postsAbout("payment").get(1).threadTs())
			.as("pod-a renewed all along: its HALF_OPEN is a reply in the outage's thread").isEqualTo(root);
	}

	@Test
	void aReplicaRestartedWithTheSameInstanceIdLeavesTheCycleItsEarlierLifeWasIn() {
		AsyncSlackListener a = replica("pod-a", Duration.ofSeconds(10));
		AsyncSlackListener b = replica("pod-b", Duration.ofSeconds(10));
		CircuitBreaker onA = breaker(a, "payment");
		onA.transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		breaker(b, "payment").transitionToOpenState();
		await().until(() -> threadOf(a, "payment").fleet().members().size() == 2);

		b.close();
		AsyncSlackListener restarted = replica("pod-b", FAST_HEARTBEAT);
		breaker(restarted, "payment");
		await().until(() -> threadOf(a, "payment").fleet().members().keySet().equals(Set.of("pod-a")));

		onA.transitionToHalfOpenState();
		onA.transitionToClosedState();
		await().until(() -> postsAbout("payment").size() == 4);
		Post recovery = postsAbout("payment").get(3);
		assertThat(recovery.broadcast()).as("pod-a is the last member once pod-b left").isTrue();
		assertThat(recovery.rawBody()).doesNotContain("Still failing");
	}

	@Test
	void theLastMemberRestartedWithItsBreakerClosedEndsTheThreadSayingSo() {
		AsyncSlackListener a = replica("pod-a", Duration.ofSeconds(10));
		breaker(a, "payment").transitionToOpenState();
		await().until(() -> threadInRedis("payment") && threadOf(a, "payment").threadTs() != null);
		String root = postsAbout("payment").get(0).ts();
		a.close();

		AsyncSlackListener restarted = replica("pod-a", FAST_HEARTBEAT);
		breaker(restarted, "payment");
		await().until(() -> slack.delivered()
			.stream()
			.anyMatch((post) -> post.text().contains("its last instance, pod-a, restarted with its circuit breaker closed")));
		assertThat(slack.delivered()).filteredOn((post) -> post.text().contains("restarted"))
			.singleElement()
			.satisfies((post) -> assertThat(post.threadTs()).isEqualTo(root));
		await().until(() -> !threadInRedis("payment"));
	}

	@Test
	void whenTheClaimerCannotPostTheRootTheNextReplicasMessageBecomesTheRoot() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.inScenario("first root refused")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(SlackStandIn.error("restricted_action").withFixedDelay(500))
			.willSetStateTo("refused"));
		AsyncSlackListener a = replica("pod-a", Duration.ofSeconds(10));
		AsyncSlackListener b = replica("pod-b", Duration.ofSeconds(10));
		breaker(a, "payment").transitionToOpenState();
		await().until(() -> threadOf(a, "payment") != null);
		assertThat(threadOf(a, "payment").fleet().claimedBy()).isEqualTo("pod-a");
		breaker(b, "payment").transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		Post root = postsAbout("payment").get(0);
		assertThat(root.threadTs()).as("pod-b's message is the root").isNull();
		assertThat(root.rawBody()).contains("*Instance:*\\npod-b");
		await().until(() -> root.ts().equals(threadOf(a, "payment").threadTs()));
		assertThat(slack.posts()).hasSize(2);
	}

	@Test
	void aReplicaStartedMidOutageRepliesInTheExistingThread() {
		AsyncSlackListener a = replica("pod-a", Duration.ofSeconds(10));
		breaker(a, "payment").transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		String root = postsAbout("payment").get(0).ts();

		AsyncSlackListener late = replica("pod-d", Duration.ofSeconds(10));
		breaker(late, "payment").transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 2);
		Post joined = postsAbout("payment").get(1);
		assertThat(joined.threadTs()).isEqualTo(root);
		assertThat(joined.rawBody()).contains("*Instance:*\\npod-d");
		assertThat(threadOf(a, "payment").fleet().members()).containsOnlyKeys("pod-a", "pod-d");
	}

	@Test
	void theThreadsEndpointOfAnyReplicaListsTheFleetsThreadWithItsMembers() {
		AsyncSlackListener a = replica("pod-a", Duration.ofSeconds(10));
		AsyncSlackListener b = replica("pod-b", Duration.ofSeconds(10));
		breaker(a, "payment").transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		CircuitBreaker onB = breaker(b, "payment");
		onB.transitionToOpenState();
		onB.transitionToHalfOpenState();
		await().until(() -> postsAbout("payment").size() == 3);
		ThreadDescriptor thread = new SlackThreadsEndpoint(b).threads().block().threads().get(0);
		assertThat(thread.threadTs()).isEqualTo(postsAbout("payment").get(0).ts());
		assertThat(thread.members()).extracting(MemberDescriptor::instance, MemberDescriptor::state)
			.containsExactly(tuple("pod-a", "OPEN"), tuple("pod-b", "HALF_OPEN"));
		assertThat(thread.members()).allSatisfy((member) -> assertThat(member.lastHeartbeat()).isNotNull());
		assertThat(new SlackThreadsEndpoint(b).forget("payment").getStatus()).isEqualTo(200);
		assertThat(threadInRedis("payment")).as("DELETE forgets the fleet's thread").isFalse();
	}

	@Test
	void threeReplicasInAStormOnOneChannelShareItsPaceAndLoseNothing() {
		slack.enforceRateLimit(1.0, 5);
		List<AsyncSlackListener> fleet = List.of(
				replica("pod-a", Duration.ofSeconds(10), ChannelPacer.slackDefault()),
				replica("pod-b", Duration.ofSeconds(10), ChannelPacer.slackDefault()),
				replica("pod-c", Duration.ofSeconds(10), ChannelPacer.slackDefault()));
		List<String> names = List.of("payment", "inventory", "shipping", "search");
		for (AsyncSlackListener replica : fleet) {
			for (String name : names) {
				breaker(replica, name).transitionToOpenState();
			}
		}
		await().atMost(Duration.ofSeconds(40))
			.until(() -> slack.delivered().size() >= 4 && fleet.stream().allMatch((replica) -> replica.getPending() == 0)
					&& names.stream().allMatch((name) -> rootEditsAbout(name).anyMatch((edit) -> edit.contains("3 instances"))));
		assertThat(slack.rateLimited(SlackStandIn.CHANNEL)).as("refusals of the shared channel").isLessThanOrEqualTo(1);
		for (String name : names) {
			List<Post> posts = postsAbout(name);
			assertThat(posts).as(name + ": one root; the other replicas' echoes are replies in it, or, once the channel "
					+ "is paced, the root's edit").filteredOn((post) -> post.threadTs() == null).hasSize(1);
			assertThat(posts.subList(1, posts.size()))
				.allSatisfy((reply) -> assertThat(reply.threadTs()).isEqualTo(posts.get(0).ts()));
		}
	}

	private static java.util.stream.Stream<String> rootEditsAbout(String name) {
		return slack.updates().stream().map(Post::rawBody).filter((body) -> body.contains("\\n" + name + "\""));
	}

	@Test
	void aFrozenRedisNeverDelaysTheCallerAndTheMessageIsStillDelivered(CapturedOutput output) {
		AsyncSlackListener a = replica("pod-a", Duration.ofSeconds(10), ChannelPacer.slackDefault());
		CircuitBreaker payment = breaker(a, "payment");
		redis.pause();
		try {
			long start = System.nanoTime();
			payment.transitionToOpenState();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(took).as("the breaker's caller never waits for Redis").isLessThan(Duration.ofMillis(400));
			await().atMost(Duration.ofSeconds(10)).until(() -> postsAbout("payment").size() == 1);
			assertThat(output.getAll()).contains("The shared thread store failed")
				.containsOnlyOnce("The fleet's shared pace failed; each replica paces its channels alone");
		}
		finally {
			redis.resume();
		}
	}

}
