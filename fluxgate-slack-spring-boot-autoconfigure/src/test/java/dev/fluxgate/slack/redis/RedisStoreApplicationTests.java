package dev.fluxgate.slack.redis;

import java.util.List;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackAutoConfiguration;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackRedisAutoConfiguration;
import dev.fluxgate.slack.metrics.SlackMetrics;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code fluxgate.slack.store=redis}: the threads live in the application's Redis, so that a restarted application
 * replies in the thread its previous run opened; FluxgateSlackRedisAutoConfigurationTests covers the beans.
 */
@ExtendWith(OutputCaptureExtension.class)
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class RedisStoreApplicationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, FluxgateSlackRedisAutoConfiguration.class,
				FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.base-url=" + slack.baseUrl(),
				"fluxgate.slack.mode=sync", "fluxgate.slack.store=redis", "fluxgate.slack.instance-id=replica-1",
				"spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port());

	@Test
	void aRestartedApplicationRepliesInTheThreadItsPreviousRunOpened() {
		redis.flush();
		CircuitBreaker payment = CircuitBreaker.ofDefaults("payment");
		this.runner.run((context) -> {
			assertThat(context).getBean(ThreadStore.class).isInstanceOf(FallbackThreadStore.class);
			assertThat(((FallbackThreadStore) context.getBean(ThreadStore.class)).shared())
				.isInstanceOf(RedisThreadStore.class);
			context.getBean(AbstractSlackListener.class).bindTo(payment);
			payment.transitionToOpenState();
		});
		CircuitBreaker afterRestart = CircuitBreaker.of("payment", payment.getCircuitBreakerConfig());
		afterRestart.transitionToOpenState();
		this.runner.run((context) -> {
			context.getBean(AbstractSlackListener.class).bindTo(afterRestart);
			afterRestart.transitionToHalfOpenState();
			afterRestart.transitionToClosedState();
			await().until(() -> context.getBean(ThreadStore.class).find("payment").blockOptional().isEmpty());
		});
		List<Post> posts = slack.delivered();
		assertThat(posts).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
		assertThat(posts).as("with shared threads, each message tells which replica sent it")
			.allSatisfy((post) -> assertThat(post.rawBody()).contains("*Instance:*\\nreplica-1"));
	}

	@Test
	void redisStoppedMidCycleCostsNoAlertAndTheNextCycleIsSharedAgain(CapturedOutput output) throws Exception {
		redis.flush();
		CircuitBreaker payment = CircuitBreaker.ofDefaults("payment");
		MeterRegistry meters = new SimpleMeterRegistry();
		this.runner.withPropertyValues("fluxgate.slack.redis.timeout=300ms")
			.withBean(SlackMetrics.class, () -> new SlackMetrics(meters))
			.run((context) -> {
				context.getBean(AbstractSlackListener.class).bindTo(payment);
				payment.transitionToOpenState();
				redis.stop();
				try {
					payment.transitionToHalfOpenState();
					payment.transitionToClosedState();
					assertThat(slack.delivered()).extracting(Post::transition)
						.as("every message delivered while Redis is down")
						.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
					assertThat(output.getAll()).containsOnlyOnce("The shared thread store failed");
					assertThat(meters.get(SlackMetrics.STORE_FALLBACKS).counters()).isNotEmpty();
					assertThat(meters.get(SlackMetrics.STORE_REQUESTS).tag("outcome", "ok").timers())
						.as("Redis answered before it stopped").isNotEmpty();
					assertThat(meters.get(SlackMetrics.STORE_REQUESTS).timers())
						.anySatisfy((timer) -> assertThat(timer.getId().getTag("outcome")).isNotEqualTo("ok"));
				}
				finally {
					redis.start();
				}
				payment.transitionToOpenState();
				await().until(() -> new ReactiveStringRedisTemplate(redis.connectionFactory())
					.hasKey("{fluxgate:slack}:thread:payment")
					.block());
			});
	}

	@Test
	void messagesStillPendingAtShutdownAreToldWithTheirThreadStillInRedis(CapturedOutput output) {
		redis.flush();
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(300)));
		CircuitBreaker payment = CircuitBreaker.ofDefaults("payment");
		this.runner.withPropertyValues("fluxgate.slack.mode=async").run((context) -> {
			context.getBean(AbstractSlackListener.class).bindTo(payment);
			payment.transitionToOpenState();
			payment.transitionToHalfOpenState();
			payment.transitionToClosedState();
		});
		assertThat(slack.delivered()).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(output.getAll()).doesNotContain("The shared thread store failed");
		assertThat(new ReactiveStringRedisTemplate(redis.connectionFactory()).hasKey("{fluxgate:slack}:thread:payment")
			.block()).as("the recovery ended the thread in Redis").isFalse();
	}

}
