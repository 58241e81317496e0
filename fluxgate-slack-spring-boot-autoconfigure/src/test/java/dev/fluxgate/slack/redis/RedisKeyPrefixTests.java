package dev.fluxgate.slack.redis;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackAutoConfiguration;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackRedisAutoConfiguration;
import dev.fluxgate.slack.autoconfigure.InvalidSlackPropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fluxgate.slack.redis.key-prefix}: by default {@code fluxgate:slack:} and the application's name, so that two
 * applications on one Redis keep their threads apart; a prefix set wins; braces, which the starter puts around the
 * prefix as the keys' hash tag, are refused.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class RedisKeyPrefixTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, FluxgateSlackRedisAutoConfiguration.class,
				FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.base-url=http://127.0.0.1:1/api",
				"fluxgate.slack.store=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port());

	@Test
	void prefixDefaultsToFluxgateSlackWithoutAnApplicationName() {
		this.runner.run((context) -> assertThat(context.getBean(RedisSharedPace.class))
			.hasToString("RedisSharedPace[prefix=fluxgate:slack]"));
	}

	@Test
	void prefixDefaultsToFluxgateSlackAndTheApplicationName() {
		this.runner.withPropertyValues("spring.application.name=orders")
			.run((context) -> assertThat(context.getBean(RedisSharedPace.class))
				.hasToString("RedisSharedPace[prefix=fluxgate:slack:orders]"));
	}

	@Test
	void prefixSetExplicitlyWinsOverTheApplicationName() {
		this.runner.withPropertyValues("spring.application.name=orders", "fluxgate.slack.redis.key-prefix=shop:alerts")
			.run((context) -> assertThat(context.getBean(RedisSharedPace.class))
				.hasToString("RedisSharedPace[prefix=shop:alerts]"));
	}

	@Test
	void prefixWithBracesIsRefusedNamingThePropertyAndTheFix() {
		this.runner.withPropertyValues("fluxgate.slack.redis.key-prefix={orders}").run((context) -> {
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

}
