package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.metrics.SlackMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FluxgateSlackMetricsAutoConfiguration}: the listener's Micrometer meters, where there is a meter registry.
 */
class FluxgateSlackMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class,
				FluxgateSlackMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN);

	@Test
	void providesTheMeters() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SlackMetrics.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SlackMetrics.class));
	}

	@Test
	void backsOffWithoutTheListener() {
		this.contextRunner.withPropertyValues("fluxgate.slack.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SlackMetrics.class));
	}

}
