package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.DeliveryObserver;
import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial review of issue 18, against a real redis-server: what is specific to Redis.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class FleetReviewRedisTests {

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

	private AsyncSlackListener replica(String instanceId, Duration heartbeat, Duration threadTtl) {
		LettuceConnectionFactory connection = redis.newConnectionFactory();
		this.connections.add(connection);
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(connection);
		ThreadStore store = new FallbackThreadStore(
				new RedisThreadStore(template, "fluxgate:slack", threadTtl, Duration.ofMillis(500)),
				() -> DeliveryObserver.NONE);
		AsyncSlackListener listener = slack.configure(AsyncSlackListener.builder())
			.threadStore(store)
			.fleet(instanceId, heartbeat)
			.build();
		this.replicas.add(listener);
		return listener;
	}

	private static List<Post> postsAbout(String name) {
		return slack.delivered().stream().filter((post) -> post.rawBody().contains("\\n" + name + "\"")).toList();
	}

	/**
	 * Defect: beat.lua renews a member's heartbeat in the thread's hash but never the hash's TTL, so the thread of an
	 * outage whose breaker stays OPEN with no transition for longer than redis.thread-ttl (an OPEN breaker without
	 * automatic transition to HALF_OPEN and no calls, or FORCED_OPEN) silently expires while its members are alive
	 * and heartbeating: no "ended" reply, the root says OPEN forever, and the cycle's next messages go top-level.
	 * (The TTL is 2 s here, the heartbeat 200 ms; in production, 7 days or whatever shorter value is set.)
	 */
	@Test
	void theThreadOfAnOutageWhoseMembersKeepReportingDoesNotExpire() {
		AsyncSlackListener a = replica("pod-a", FAST_HEARTBEAT, Duration.ofSeconds(2));
		CircuitBreaker onA = CircuitBreaker.ofDefaults("payment");
		a.bindTo(onA);
		onA.transitionToOpenState();
		await().until(() -> postsAbout("payment").size() == 1);
		String root = postsAbout("payment").get(0).ts();
		await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);

		onA.transitionToHalfOpenState();
		await().until(() -> postsAbout("payment").size() == 2);
		assertThat(postsAbout("payment").get(1).threadTs())
			.as("pod-a heartbeat all along: its HALF_OPEN is a reply in the outage's thread").isEqualTo(root);
	}

}
