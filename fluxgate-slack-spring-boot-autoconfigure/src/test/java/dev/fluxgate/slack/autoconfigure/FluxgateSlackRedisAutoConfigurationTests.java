package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.SharedPace;
import dev.fluxgate.slack.redis.RedisServer;
import dev.fluxgate.slack.redis.RedisSharedPace;
import dev.fluxgate.slack.storm.DigestStore;
import dev.fluxgate.slack.storm.InMemoryDigestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FluxgateSlackRedisAutoConfiguration}, with {@code fluxgate.slack.store=redis}: the replicas share each
 * channel's pace unless pacing is off; the key prefix is {@code fluxgate:slack:} and the application's name unless set,
 * and braces in it are refused; without a Redis connection, startup stops and says what to add.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class FluxgateSlackRedisAutoConfigurationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, FluxgateSlackRedisAutoConfiguration.class,
				FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.base-url=http://127.0.0.1:1/api",
				"fluxgate.slack.store=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port());

	@Test
	void theReplicasShareEachChannelsPaceUnlessPacingIsOff() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisSharedPace.class);
			assertThat(context.getBean(ChannelPacer.class)).hasToString(
					"ChannelPacer[rate=1.0/s, burst=3, shared=RedisSharedPace[prefix=fluxgate:slack]]");
		});
		this.contextRunner.withPropertyValues("fluxgate.slack.pacing.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SharedPace.class).doesNotHaveBean(ChannelPacer.class));
	}

	@Test
	void theReplicasShareOneStormDigestPerChannelUnlessTheDigestIsOffOrTheirOwnStoreIsGiven() {
		this.contextRunner.run((context) -> assertThat(context.getBean(DigestStore.class))
			.hasToString("RedisDigestStore[prefix=fluxgate:slack]"));
		this.contextRunner.withPropertyValues("fluxgate.slack.digest.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DigestStore.class));
		this.contextRunner.withBean(DigestStore.class, InMemoryDigestStore::new)
			.run((context) -> assertThat(context).getBean(DigestStore.class).isInstanceOf(InMemoryDigestStore.class));
	}

	@Test
	void prefixDefaultsToFluxgateSlackWithoutAnApplicationName() {
		this.contextRunner.run((context) -> assertThat(context.getBean(RedisSharedPace.class))
			.hasToString("RedisSharedPace[prefix=fluxgate:slack]"));
	}

	@Test
	void prefixDefaultsToFluxgateSlackAndTheApplicationName() {
		this.contextRunner.withPropertyValues("spring.application.name=orders")
			.run((context) -> assertThat(context.getBean(RedisSharedPace.class))
				.hasToString("RedisSharedPace[prefix=fluxgate:slack:orders]"));
	}

	@Test
	void prefixSetExplicitlyWinsOverTheApplicationName() {
		this.contextRunner
			.withPropertyValues("spring.application.name=orders", "fluxgate.slack.redis.key-prefix=shop:alerts")
			.run((context) -> assertThat(context.getBean(RedisSharedPace.class))
				.hasToString("RedisSharedPace[prefix=shop:alerts]"));
	}

	@Test
	void prefixWithBracesIsRefusedNamingThePropertyAndTheFix() {
		this.contextRunner.withPropertyValues("fluxgate.slack.redis.key-prefix={orders}").run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
			assertThat(cause).isInstanceOf(InvalidSlackPropertyException.class);
			InvalidSlackPropertyException invalid = (InvalidSlackPropertyException) cause;
			assertThat(invalid.getProperty()).isEqualTo("fluxgate.slack.redis.key-prefix");
			assertThat(invalid.getValue()).isEqualTo("\"{orders}\"");
			assertThat(invalid.getAction()).contains("Remove { and }");
			assertThat(invalid.getMessage()).doesNotContain(SlackStandIn.TOKEN);
		});
	}

	@Test
	void storeRedisWithoutARedisConnectionStopsStartupSayingWhatToAdd() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FluxgateSlackRedisAutoConfiguration.class,
				FluxgateSlackAutoConfiguration.class))
			.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
					"fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.store=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(cause).isInstanceOf(InvalidSlackPropertyException.class)
					.hasMessageContaining("fluxgate.slack.store")
					.hasMessageContaining("ReactiveRedisConnectionFactory");
			});
	}

}
