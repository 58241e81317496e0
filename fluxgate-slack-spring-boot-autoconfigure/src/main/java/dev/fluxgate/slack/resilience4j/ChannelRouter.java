package dev.fluxgate.slack.resilience4j;

/**
 * Chooses the channel a circuit breaker's new threads are posted to.
 */
@FunctionalInterface
public interface ChannelRouter {

	/**
	 * Return the channel of a circuit breaker's new threads.
	 * @param circuitBreaker the circuit breaker's name
	 * @return the channel ID, or {@code null} for the listener's default channel
	 */
	String channelFor(String circuitBreaker);

}
