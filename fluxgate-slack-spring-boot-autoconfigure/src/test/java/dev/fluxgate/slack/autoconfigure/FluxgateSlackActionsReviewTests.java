package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.socket.SocketModeStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of issue 20: the buttons' properties, in a real Spring context.
 */
class FluxgateSlackActionsReviewTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final ApplicationContextRunner actionsRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class,
				FluxgateSlackActionsAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL, "fluxgate.slack.token=" + SlackStandIn.TOKEN,
				"fluxgate.slack.base-url=" + slack.baseUrl(), "fluxgate.slack.pacing.enabled=false",
				"fluxgate.slack.actions.enabled=true", "fluxgate.slack.app-token=" + SocketModeStandIn.APP_TOKEN,
				"fluxgate.slack.actions.allowed-users=U0ALLOWED");

	/**
	 * The README documents {@code .initial-backoff} / {@code .max-backoff} as a pair; a max below the initial stops
	 * startup with SocketModeClient's bare IllegalArgumentException ("maxBackoff must not be shorter than
	 * initialBackoff"), which names no property, instead of the starter's failure analysis that names it and the fix.
	 */
	@Test
	void aMaxBackoffShorterThanTheInitialBackoffIsAClearStartupError() {
		this.actionsRunner
			.withPropertyValues("fluxgate.slack.actions.socket.initial-backoff=10s",
					"fluxgate.slack.actions.socket.max-backoff=2s")
			.run((context) -> assertThat(StartupFailures.analysis(context).getDescription())
				.contains("fluxgate.slack.actions.socket.max-backoff"));
	}

}
