package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackAutoConfiguration;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackRedisAutoConfiguration;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code spring.data.redis.cluster.nodes} and nothing of ours, the connection Boot makes to a real Redis
 * Cluster keeps the threads and the channels' shared pace: every script, {@code take-turn.lua} and
 * {@code hold-channel.lua} included, runs on the cluster without {@code CROSSSLOT} and without falling back.
 */
@ExtendWith(OutputCaptureExtension.class)
@RequiresPrograms(value = { RedisServer.PROGRAM, RedisCluster.CLI },
		install = "redis-server and redis-tools (Debian: apt-get install redis-server redis-tools)")
class RedisClusterApplicationTests {

	private static final String PREFIX = "{fluxgate:slack:orders}";

	private static final String PACE = PREFIX + ":pace:" + SlackStandIn.CHANNEL;

	private static final String HOLD = PREFIX + ":hold:" + SlackStandIn.CHANNEL;

	@RegisterExtension
	static final RedisCluster cluster = new RedisCluster();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private static ReactiveStringRedisTemplate direct;

	private final List<String> fellBack = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, FluxgateSlackRedisAutoConfiguration.class,
				FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.base-url=" + slack.baseUrl(),
				"fluxgate.slack.store=redis", "fluxgate.slack.pacing.enabled=true", "spring.application.name=orders",
				"spring.data.redis.cluster.nodes=" + cluster.nodes())
		.withBean(DeliveryObserver.class, () -> new DeliveryObserver() {
			@Override
			public void storeFellBack(String operation, Throwable cause) {
				RedisClusterApplicationTests.this.fellBack.add(operation + ": " + cause);
			}
		});

	@BeforeAll
	static void connectDirectly() {
		direct = new ReactiveStringRedisTemplate(cluster.newConnectionFactory());
		direct.hasKey(BootRedisCycle.THREAD).block(Duration.ofSeconds(10));
	}

	@BeforeEach
	void forgetEveryKey() {
		cluster.flush();
	}

	@Test
	void aFailureCycleOnAClusterIsOneThreadPacedByTheFleetWithoutFallingBack(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context.getBean(LettuceConnectionFactory.class).getClusterConfiguration())
				.as("Boot connects to the cluster")
				.isNotNull();
			BootRedisCycle.run(context, direct, slack);
		});
		assertThat(direct.<String, String>opsForHash().get(PACE, "tokens").map(Double::parseDouble).block())
			.as("each message took a turn from the fleet's bucket of the channel")
			.isLessThanOrEqualTo(2.0);
		assertThat(this.fellBack).as("the store never fell back to memory").isEmpty();
		assertThat(output.getAll()).doesNotContain("The shared thread store failed")
			.doesNotContain("The fleet's shared pace failed");
	}

	@Test
	void slackRefusingAMessageHoldsTheChannelForTheFleetOnACluster(CapturedOutput output) {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.inScenario("root refused once")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
			.willSetStateTo("refused"));
		CircuitBreaker payment = CircuitBreaker.ofDefaults("payment");
		this.runner.run((context) -> {
			BootRedisCycle.connected(context);
			context.getBean(AbstractSlackListener.class).bindTo(payment);
			payment.transitionToOpenState();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(25))
				.until(() -> direct.hasKey(HOLD).block());
			await().atMost(Duration.ofSeconds(10)).until(() -> slack.delivered().size() == 1);
		});
		assertThat(slack.posts()).as("the refused root, then the root once Retry-After was over").hasSize(2);
		assertThat(slack.delivered()).extracting(Post::transition).containsExactly("CLOSED → OPEN");
		assertThat(this.fellBack).as("the store never fell back to memory").isEmpty();
		assertThat(output.getAll()).doesNotContain("The shared thread store failed")
			.doesNotContain("The fleet's shared pace failed");
	}

}
