package dev.fluxgate.slack.delivery;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.event.TransitionSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each kind of delivery failure once at ERROR, the repeats at DEBUG, until a message gets through again: a
 * Slack outage is one ERROR line per error code, not one per transition.
 */
public final class FailureLog {

	private static final Logger logger = LoggerFactory.getLogger(FailureLog.class);

	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	/**
	 * Log a message that could not be delivered.
	 * @param snapshot the transition it told
	 * @param channel the channel it was for
	 * @param failure why
	 */
	public void failed(TransitionSnapshot snapshot, String channel, SlackApiException failure) {
		if (this.reported.add(failure.getError())) {
			logger.error("Could not post {} of circuit breaker '{}' to Slack channel {}: {}. Further '{}' failures "
					+ "are logged at DEBUG until a message gets through.", snapshot.transition(),
					snapshot.circuitBreaker(), channel, failure.getMessage(), failure.getError());
		}
		else {
			logger.debug("Could not post {} of circuit breaker '{}' to Slack: {}", snapshot.transition(),
					snapshot.circuitBreaker(), failure.getMessage());
		}
	}

	/**
	 * Note that a message got through: the next failure is logged at ERROR again.
	 */
	public void delivered() {
		if (!this.reported.isEmpty()) {
			this.reported.clear();
			logger.info("Slack accepts messages again");
		}
	}

}
