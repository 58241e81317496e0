package dev.fluxgate.slack.actuate;

import dev.fluxgate.slack.DeliveryStatus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether Slack takes our messages, from what deliveries so far showed: never calls Slack itself.
 */
public class SlackHealthIndicator extends AbstractHealthIndicator {

	private final DeliveryStatus status;

	private final String channel;

	public SlackHealthIndicator(DeliveryStatus status, String channel) {
		super("Slack health check failed");
		this.status = status;
		this.channel = channel;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("channel", this.channel);
		this.status.getLastDelivery().ifPresent((at) -> builder.withDetail("lastDelivery", at.toString()));
		this.status.getPermanentFailure().ifPresentOrElse((failure) -> {
			builder.down().withDetail("error", failure.error()).withDetail("circuitBreaker", failure.circuitBreaker());
			builder.withDetail("failedAt", failure.at().toString());
			if (failure.hint() != null) {
				builder.withDetail("hint", failure.hint());
			}
		}, builder::up);
	}

}
