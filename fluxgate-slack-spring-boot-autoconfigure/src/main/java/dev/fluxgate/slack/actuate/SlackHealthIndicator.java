package dev.fluxgate.slack.actuate;


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
		SlackHealthDetails health = SlackHealthDetails.of(this.status, this.channel);
		(health.up() ? builder.up() : builder.down()).withDetails(health.details());
	}

}
