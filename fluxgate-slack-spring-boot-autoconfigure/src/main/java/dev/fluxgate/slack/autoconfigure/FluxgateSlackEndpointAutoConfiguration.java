package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code slackthreads} actuator endpoint.
 */
@AutoConfiguration(after = FluxgateSlackAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(AbstractSlackListener.class)
@ConditionalOnAvailableEndpoint(SlackThreadsEndpoint.class)
public final class FluxgateSlackEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SlackThreadsEndpoint slackThreadsEndpoint(AbstractSlackListener listener) {
		return new SlackThreadsEndpoint(listener);
	}

}
