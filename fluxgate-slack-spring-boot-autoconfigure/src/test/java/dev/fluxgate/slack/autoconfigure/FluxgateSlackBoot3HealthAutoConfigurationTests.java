package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.actuate.DeliveryStatus;
import dev.fluxgate.slack.actuate.SlackHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FluxgateSlackBoot3HealthAutoConfiguration} on Spring Boot 4, where it backs off; the sample
 * {@code boot35-servlet} proves it on Spring Boot 3.
 */
class FluxgateSlackBoot3HealthAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN);

	@Test
	void springBoot4GetsOneHealthIndicatorAndTheSpringBoot3OneBacksOff() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class,
					FluxgateSlackHealthAutoConfiguration.class, FluxgateSlackBoot3HealthAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(HealthIndicator.class);
				assertThat(context.getBeanNamesForType(Object.class)).containsOnlyOnce("slackHealthIndicator");
				assertThat(context.getBean("slackHealthIndicator")).isInstanceOf(SlackHealthIndicator.class);
			});
	}

	@Test
	void aloneOnSpringBoot4ItAddsNothing() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class,
					FluxgateSlackBoot3HealthAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("slackHealthIndicator");
				assertThat(context).doesNotHaveBean(DeliveryStatus.class);
			});
	}

}
