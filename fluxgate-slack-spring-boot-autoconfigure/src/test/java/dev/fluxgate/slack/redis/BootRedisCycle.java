package dev.fluxgate.slack.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One failure cycle of a real breaker, {@code payment}, through an application whose Redis Boot configured (on a
 * cluster, behind a sentinel): the thread is in Redis, under the tagged key of the application {@code orders}, while
 * the breaker is open, and gone once it recovered; Slack got one root, its replies and the broadcast recovery.
 */
final class BootRedisCycle {

	static final String THREAD = "{fluxgate:slack:orders}:thread:payment";

	private BootRedisCycle() {
	}

	/**
	 * Run the cycle in a started context.
	 * @param context the application
	 * @param direct a connection of the test's own to where the keys are
	 * @param slack the Slack stand-in
	 */
	static void run(ApplicationContext context, ReactiveStringRedisTemplate direct, SlackStandIn slack) {
		CircuitBreaker payment = CircuitBreaker.of("payment", CircuitBreakerConfig.custom()
			.slidingWindowSize(2)
			.minimumNumberOfCalls(2)
			.permittedNumberOfCallsInHalfOpenState(1)
			.waitDurationInOpenState(Duration.ofMillis(100))
			.build());
		connected(context);
		context.getBean(AbstractSlackListener.class).bindTo(payment);
		payment.onError(1, TimeUnit.MILLISECONDS, new IOException("payment provider unavailable"));
		payment.onError(1, TimeUnit.MILLISECONDS, new IOException("payment provider unavailable"));
		assertThat(payment.getState()).isEqualTo(State.OPEN);
		String root = await().atMost(Duration.ofSeconds(20))
			.until(() -> direct.<String, String>opsForHash().get(THREAD, "ts").block(), Objects::nonNull);
		assertThat(slack.delivered()).extracting(Post::ts).as("the root's ts").containsExactly(root);
		assertThat(payment.getState()).as("the thread is in Redis while the breaker is open").isEqualTo(State.OPEN);

		await().atMost(Duration.ofSeconds(5)).until(payment::tryAcquirePermission);
		assertThat(payment.getState()).isEqualTo(State.HALF_OPEN);
		payment.onSuccess(1, TimeUnit.MILLISECONDS);
		assertThat(payment.getState()).isEqualTo(State.CLOSED);
		await().atMost(Duration.ofSeconds(10)).until(() -> slack.delivered().stream().anyMatch(Post::broadcast));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(direct.hasKey(THREAD).block()).as("the recovery ended the thread")
				.isFalse());
		List<Post> posts = slack.delivered();
		assertThat(posts).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(posts.get(0).threadTs()).as("one root").isNull();
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).as("the recovery is broadcast").isTrue();
	}

	/**
	 * Make Boot's connection before the first timed store call: Lettuce connects lazily, and on a busy machine the
	 * first call, connection included, may take longer than {@code fluxgate.slack.redis.timeout}.
	 * @param context the application
	 */
	static void connected(ApplicationContext context) {
		context.getBean(ReactiveStringRedisTemplate.class).hasKey("{fluxgate:slack:orders}:warm-up")
			.block(Duration.ofSeconds(10));
	}

}
