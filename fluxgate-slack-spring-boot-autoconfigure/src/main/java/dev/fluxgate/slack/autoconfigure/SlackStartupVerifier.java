package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;

import dev.fluxgate.slack.client.AuthTestResponse;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Checks the bot token with one {@code auth.test} call once the context is up, and logs who posts where. The call is
 * the listener's, whose answer also serves the permalinks of recoveries.
 */
class SlackStartupVerifier implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(SlackStartupVerifier.class);

	private final Mono<AuthTestResponse> authTest;

	private final String channel;

	private final Duration timeout;

	private final boolean failOnError;

	SlackStartupVerifier(Mono<AuthTestResponse> authTest, String channel, Duration timeout, boolean failOnError) {
		this.authTest = authTest;
		this.channel = channel;
		this.timeout = timeout;
		this.failOnError = failOnError;
	}

	@Override
	public void afterSingletonsInstantiated() {
		try {
			AuthTestResponse answer = this.authTest.block(this.timeout.plusSeconds(1));
			logger.info("Slack: circuit-breaker alerts post as {} in workspace {} ({}) to channel {}",
					answer.user(), answer.team(), answer.url(), this.channel);
		}
		catch (RuntimeException ex) {
			String error = (ex instanceof SlackApiException slack) ? slack.getError() : ex.getClass().getSimpleName();
			logger.error("Slack: the startup check (auth.test) failed: {}", ex.getMessage());
			if (this.failOnError) {
				boolean tokenProblem = ex instanceof SlackApiException slack && SlackErrors.isRefusedBySlack(slack);
				throw new InvalidSlackPropertyException(tokenProblem ? "fluxgate.slack.token" : "fluxgate.slack.base-url",
						tokenProblem ? "******" : "(see reason)", "auth.test failed with " + error + ": " + ex.getMessage(),
						"Fix the token or the connection to Slack, or set fluxgate.slack.fail-on-startup-error=false to "
								+ "start anyway.");
			}
		}
	}

}
