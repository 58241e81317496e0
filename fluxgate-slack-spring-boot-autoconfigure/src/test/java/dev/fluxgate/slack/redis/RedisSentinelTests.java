package dev.fluxgate.slack.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.DeliveryObserver;
import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackAutoConfiguration;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackRedisAutoConfiguration;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code spring.data.redis.sentinel.*} and nothing of ours, the threads live in the master the sentinel names:
 * a whole failure cycle is one thread there, without the listener falling back to its own memory.
 */
@ExtendWith(OutputCaptureExtension.class)
@RequiresPrograms(value = { RedisServer.PROGRAM, RedisSentinel.PROGRAM, RedisCluster.CLI },
		install = "redis-server, redis-sentinel and redis-tools "
				+ "(Debian: apt-get install redis-server redis-sentinel redis-tools)")
class RedisSentinelTests {

	private static final String THREAD = "{fluxgate:slack:orders}:thread:payment";

	@RegisterExtension
	static final RedisSentinel sentinel = new RedisSentinel();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final List<String> fellBack = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, FluxgateSlackRedisAutoConfiguration.class,
				FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.base-url=" + slack.baseUrl(),
				"fluxgate.slack.store=redis", "spring.application.name=orders",
				"spring.data.redis.sentinel.master=" + sentinel.master(),
				"spring.data.redis.sentinel.nodes=" + sentinel.sentinelNodes())
		.withBean(DeliveryObserver.class, () -> new DeliveryObserver() {
			@Override
			public void storeFellBack(String operation, Throwable cause) {
				RedisSentinelTests.this.fellBack.add(operation + ": " + cause);
			}
		});

	@Test
	void aFailureCycleThroughSentinelIsOneThreadKeptInTheMaster(CapturedOutput output) {
		ReactiveStringRedisTemplate master = new ReactiveStringRedisTemplate(
				sentinel.masterServer().connectionFactory());
		CircuitBreaker payment = CircuitBreaker.of("payment", CircuitBreakerConfig.custom()
			.slidingWindowSize(2)
			.minimumNumberOfCalls(2)
			.permittedNumberOfCallsInHalfOpenState(1)
			.waitDurationInOpenState(Duration.ofMillis(100))
			.build());
		this.runner.run((context) -> {
			assertThat(context.getBean(LettuceConnectionFactory.class).getSentinelConfiguration())
				.as("Boot connects through the sentinel")
				.isNotNull();
			connected(context);
			context.getBean(AbstractSlackListener.class).bindTo(payment);
			payment.onError(1, TimeUnit.MILLISECONDS, new IOException("payment provider unavailable"));
			payment.onError(1, TimeUnit.MILLISECONDS, new IOException("payment provider unavailable"));
			assertThat(payment.getState()).isEqualTo(State.OPEN);
			String root = await().atMost(Duration.ofSeconds(20))
				.until(() -> master.<String, String>opsForHash().get(THREAD, "ts").block(), Objects::nonNull);
			assertThat(slack.delivered()).extracting(Post::ts).as("the root's ts").containsExactly(root);
			assertThat(payment.getState()).as("the thread is in the master while the breaker is open")
				.isEqualTo(State.OPEN);

			await().atMost(Duration.ofSeconds(5)).until(payment::tryAcquirePermission);
			assertThat(payment.getState()).isEqualTo(State.HALF_OPEN);
			payment.onSuccess(1, TimeUnit.MILLISECONDS);
			assertThat(payment.getState()).isEqualTo(State.CLOSED);
			await().atMost(Duration.ofSeconds(10)).until(() -> slack.delivered().stream().anyMatch(Post::broadcast));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(master.hasKey(THREAD).block()).as("the recovery ended the thread")
					.isFalse());
		});
		List<Post> posts = slack.delivered();
		assertThat(posts).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(posts.get(0).threadTs()).as("one root").isNull();
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).as("the recovery is broadcast").isTrue();
		assertThat(this.fellBack).as("the store never fell back to memory").isEmpty();
		assertThat(output.getAll()).doesNotContain("The shared thread store failed")
			.doesNotContain("The fleet's shared pace failed");
	}

	/**
	 * Make Boot's connection before the first timed store call: Lettuce connects lazily, and on a busy machine the
	 * first call, connection included, may take longer than {@code fluxgate.slack.redis.timeout}.
	 */
	private static void connected(ApplicationContext context) {
		context.getBean(ReactiveStringRedisTemplate.class).hasKey("{fluxgate:slack:orders}:warm-up")
			.block(Duration.ofSeconds(10));
	}

}
