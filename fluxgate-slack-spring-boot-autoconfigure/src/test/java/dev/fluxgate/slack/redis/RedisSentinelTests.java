package dev.fluxgate.slack.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackAutoConfiguration;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackRedisAutoConfiguration;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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
		this.runner.run((context) -> {
			assertThat(context.getBean(LettuceConnectionFactory.class).getSentinelConfiguration())
				.as("Boot connects through the sentinel")
				.isNotNull();
			BootRedisCycle.run(context, master, slack);
		});
		assertThat(this.fellBack).as("the store never fell back to memory").isEmpty();
		assertThat(output.getAll()).doesNotContain("The shared thread store failed")
			.doesNotContain("The fleet's shared pace failed");
	}

}
