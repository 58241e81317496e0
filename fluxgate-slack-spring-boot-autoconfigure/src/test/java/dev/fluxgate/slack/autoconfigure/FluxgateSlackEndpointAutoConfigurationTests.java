package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FluxgateSlackEndpointAutoConfiguration}: the {@code slackthreads} endpoint, once exposed, beside the listener.
 */
class FluxgateSlackEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class,
				FluxgateSlackEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN,
				"management.endpoints.web.exposure.include=slackthreads");

	@Test
	void providesTheEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SlackThreadsEndpoint.class));
	}

	@Test
	void endpointNeedsExposure() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(SlackThreadsEndpoint.class));
	}

	@Test
	void backsOffWithoutTheActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SlackThreadsEndpoint.class));
	}

	@Test
	void backsOffWithoutTheListener() {
		this.contextRunner.withPropertyValues("fluxgate.slack.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SlackThreadsEndpoint.class));
	}

}
