package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.actuate.DeliveryStatus;
import dev.fluxgate.slack.actuate.SlackHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FluxgateSlackHealthAutoConfiguration}: Spring Boot 4's {@code slack} health indicator beside the listener.
 */
class FluxgateSlackHealthAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class,
				FluxgateSlackHealthAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN);

	@Test
	void providesTheHealthIndicatorAndItsDeliveryStatus() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SlackHealthIndicator.class);
			assertThat(context).hasBean("slackHealthIndicator");
			assertThat(context).hasSingleBean(DeliveryStatus.class);
		});
	}

	@Test
	void healthIndicatorCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("management.health.slack.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SlackHealthIndicator.class));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SlackHealthIndicator.class));
	}

	@Test
	void backsOffWithoutTheListener() {
		this.contextRunner.withPropertyValues("fluxgate.slack.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SlackHealthIndicator.class));
	}

}
