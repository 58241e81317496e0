package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.actuate.DeliveryStatus;
import dev.fluxgate.slack.actuate.SlackHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code slack} health indicator.
 */
@AutoConfiguration(after = FluxgateSlackAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AbstractSlackListener.class)
@ConditionalOnEnabledHealthIndicator("slack")
public final class FluxgateSlackHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeliveryStatus slackDeliveryStatus() {
		return new DeliveryStatus();
	}

	@Bean
	@ConditionalOnMissingBean(name = "slackHealthIndicator")
	SlackHealthIndicator slackHealthIndicator(DeliveryStatus slackDeliveryStatus, AbstractSlackListener listener) {
		return new SlackHealthIndicator(slackDeliveryStatus, listener.getChannel());
	}

}
