package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.actuate.DeliveryStatus;
import dev.fluxgate.slack.actuate.SlackHealthIndicator;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint;
import dev.fluxgate.slack.metrics.SlackMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optional integrations: each appears with its library and the listener, and backs off without them.
 */
class FluxgateSlackActuatorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class,
				FluxgateSlackEndpointAutoConfiguration.class, FluxgateSlackHealthAutoConfiguration.class,
				FluxgateSlackMetricsAutoConfiguration.class, FluxgateSlackBoot3HealthAutoConfiguration.class,
				EndpointAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN,
				"management.endpoints.web.exposure.include=slackthreads");

	@Test
	void providesEndpointHealthAndMetrics() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SlackThreadsEndpoint.class);
			assertThat(context).hasSingleBean(SlackHealthIndicator.class);
			assertThat(context).hasBean("slackHealthIndicator");
			assertThat(context).hasSingleBean(DeliveryStatus.class);
			assertThat(context).hasSingleBean(SlackMetrics.class);
		});
	}

	@Test
	void endpointNeedsExposure() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(SlackThreadsEndpoint.class));
	}

	@Test
	void healthIndicatorCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("management.health.slack.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SlackHealthIndicator.class));
	}

	@Test
	void backOffWithoutTheirLibraries() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class, MeterRegistry.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(SlackThreadsEndpoint.class);
				assertThat(context).doesNotHaveBean(SlackHealthIndicator.class);
				assertThat(context).doesNotHaveBean(SlackMetrics.class);
			});
	}

	@Test
	void backOffWithoutTheListener() {
		this.contextRunner.withPropertyValues("fluxgate.slack.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SlackThreadsEndpoint.class);
			assertThat(context).doesNotHaveBean(SlackHealthIndicator.class);
			assertThat(context).doesNotHaveBean(SlackMetrics.class);
		});
	}

	@Test
	void springBoot4GetsOneHealthIndicatorAndTheSpringBoot3OneBacksOff() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HealthIndicator.class);
			assertThat(context.getBeanNamesForType(Object.class)).containsOnlyOnce("slackHealthIndicator");
			assertThat(context.getBean("slackHealthIndicator")).isInstanceOf(SlackHealthIndicator.class);
		});
	}

}
