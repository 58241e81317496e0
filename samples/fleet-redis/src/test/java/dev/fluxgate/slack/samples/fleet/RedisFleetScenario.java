package dev.fluxgate.slack.samples.fleet;

import java.util.List;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample with {@code store=redis} against a Redis: a failure cycle is one thread, kept in Redis while it lasts,
 * with each message naming its replica. Run against a {@code redis-server} process here, and against Redis in a
 * container where Docker exists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "fluxgate.slack.instance-id=replica-1",
				"resilience4j.circuitbreaker.instances.payment-api.automatic-transition-from-open-to-half-open-enabled=false" })
abstract class RedisFleetScenario {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Autowired
	private CircuitBreakerRegistry registry;

	@Autowired
	private ThreadStore threads;

	@Autowired
	private ReactiveRedisConnectionFactory redis;

	static void slackStandIn(DynamicPropertyRegistry properties) {
		slack.addSeedVariables(properties);
	}

	@Test
	void aFailureCycleIsOneThreadKeptInRedisWhileItLasts() {
		CircuitBreaker payment = this.registry.circuitBreaker("payment-api");
		payment.transitionToOpenState();
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(this.redis);
		await().until(() -> template.hasKey("{fluxgate:slack:payments}:thread:payment-api").block()
				&& this.threads.find("payment-api").blockOptional().map((thread) -> thread.threadTs() != null).orElse(false));
		assertThat(template.<String, String>opsForHash().get("{fluxgate:slack:payments}:thread:payment-api", "member.replica-1")
			.block()).startsWith("OPEN ");
		payment.transitionToHalfOpenState();
		payment.transitionToClosedState();
		await().until(() -> !template.hasKey("{fluxgate:slack:payments}:thread:payment-api").block());
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
		assertThat(posts).allSatisfy((post) -> assertThat(post.rawBody()).contains("*Instance:*\\nreplica-1"));
	}

}
