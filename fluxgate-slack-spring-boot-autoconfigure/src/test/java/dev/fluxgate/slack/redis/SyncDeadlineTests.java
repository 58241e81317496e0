package dev.fluxgate.slack.redis;

import java.time.Duration;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sync listener with threads in Redis: the caller of a circuit breaker waits at most the deadline, whatever Redis
 * does, and the message then goes on in the background rather than being lost.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class SyncDeadlineTests {

	private static final Duration DEADLINE = Duration.ofSeconds(1);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private LettuceConnectionFactory connection;

	private SlackListener listener;

	@AfterEach
	void stop() {
		redis.resume();
		if (this.listener != null) {
			this.listener.close();
		}
		if (this.connection != null) {
			this.connection.destroy();
		}
	}

	@Test
	void callerReturnsWithinTheDeadlineWhileRedisHangsAndTheMessageIsDeliveredAfter() {
		redis.flush();
		this.connection = redis.newConnectionFactory();
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(this.connection);
		this.listener = slack.configure(SlackListener.builder())
			.deadline(DEADLINE)
			.threadStore(new FallbackThreadStore(
					new RedisThreadStore(template, "fluxgate:slack", Duration.ofDays(7), Duration.ofSeconds(2)),
					() -> DeliveryObserver.NONE))
			.fleet("pod-a", Duration.ofSeconds(1))
			.build();
		warmUp(template);
		CircuitBreaker payment = CircuitBreaker.ofDefaults("payment");
		this.listener.bindTo(payment);
		redis.pause();
		long start = System.nanoTime();
		payment.transitionToOpenState();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(elapsed).as("the caller's wait with Redis frozen").isLessThan(DEADLINE.plusMillis(1500));
		redis.resume();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(slack.delivered()).extracting(Post::circuitBreaker)
				.containsExactly("warm-up", "payment"));
	}

	/** A first message and a first Redis command, unhurried, so that a cold JVM's first calls do not count. */
	private static void warmUp(ReactiveStringRedisTemplate template) {
		template.hasKey("warm-up").block(Duration.ofSeconds(10));
		SlackListener warm = slack.configure(SlackListener.builder()).deadline(Duration.ofSeconds(10)).build();
		CircuitBreaker warmUp = CircuitBreaker.ofDefaults("warm-up");
		warm.bindTo(warmUp);
		warmUp.transitionToOpenState();
		warm.close();
		assertThat(slack.delivered()).hasSize(1);
	}

}
