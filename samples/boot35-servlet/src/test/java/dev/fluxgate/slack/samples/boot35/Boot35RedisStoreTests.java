package dev.fluxgate.slack.samples.boot35;

import java.util.List;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.redis.RedisServer;
import dev.fluxgate.slack.thread.FallbackThreadStore;
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
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code fluxgate.slack.store=redis} on Spring Boot 3.5, whose Redis auto-configuration has other class names: the
 * thread lives in the application's Redis while the cycle lasts.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
@SpringBootTest(properties = { "fluxgate.slack.store=redis", "fluxgate.slack.instance-id=boot35-replica" })
class Boot35RedisStoreTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Autowired
	private CircuitBreakerRegistry registry;

	@Autowired
	private ThreadStore threads;

	@Autowired
	private ReactiveRedisConnectionFactory connectionFactory;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry properties) {
		slack.addSeedVariables(properties);
		properties.add("spring.data.redis.host", () -> "127.0.0.1");
		properties.add("spring.data.redis.port", redis::port);
	}

	@Test
	void aFailureCycleIsOneThreadKeptInRedis() {
		assertThat(this.threads).isInstanceOf(FallbackThreadStore.class);
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(this.connectionFactory);
		CircuitBreaker breaker = this.registry.circuitBreaker("redis-shipping");
		breaker.transitionToOpenState();
		await().until(() -> template.hasKey("{fluxgate:slack}:thread:redis-shipping").block()
				&& template.<String, String>opsForHash().hasKey("{fluxgate:slack}:thread:redis-shipping", "ts").block());
		breaker.transitionToHalfOpenState();
		breaker.transitionToClosedState();
		await().until(() -> !template.hasKey("{fluxgate:slack}:thread:redis-shipping").block());
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
		assertThat(posts).allSatisfy((post) -> assertThat(post.rawBody()).contains("*Instance:*\\nboot35-replica"));
	}

}
