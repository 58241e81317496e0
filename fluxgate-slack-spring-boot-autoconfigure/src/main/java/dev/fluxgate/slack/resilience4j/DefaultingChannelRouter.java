package dev.fluxgate.slack.resilience4j;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChannelRouter} that always answers: with the default channel when the router it wraps answers
 * {@code null} or fails, which it logs.
 */
public final class DefaultingChannelRouter implements ChannelRouter {

	private static final Logger logger = LoggerFactory.getLogger(DefaultingChannelRouter.class);

	private final ChannelRouter router;

	private final String defaultChannel;

	/**
	 * Wrap a router.
	 * @param router the router, or {@code null} to post everything to the default channel
	 * @param defaultChannel the default channel ID
	 */
	public DefaultingChannelRouter(ChannelRouter router, String defaultChannel) {
		this.router = router;
		this.defaultChannel = defaultChannel;
	}

	@Override
	public String channelFor(String circuitBreaker) {
		if (this.router == null) {
			return this.defaultChannel;
		}
		try {
			String resolved = this.router.channelFor(circuitBreaker);
			return (resolved != null) ? resolved : this.defaultChannel;
		}
		catch (RuntimeException ex) {
			logger.warn("The channel resolver failed for circuit breaker '{}'; posting to {}", circuitBreaker,
					this.defaultChannel, ex);
			return this.defaultChannel;
		}
	}

}
