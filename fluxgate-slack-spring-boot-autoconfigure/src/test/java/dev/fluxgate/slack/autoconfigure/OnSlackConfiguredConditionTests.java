package dev.fluxgate.slack.autoconfigure;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the listener is configured: with a channel or token set, and always while Spring AOT processes the application,
 * whose channel and token come at startup.
 */
class OnSlackConfiguredConditionTests {

	@AfterEach
	void clearAotProcessing() {
		System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
	}

	@Test
	void matchesWhenTheSeedsVariablesAreSet() {
		MockEnvironment environment = new MockEnvironment().withProperty("SLACK_CHANNEL_ID", "C1")
			.withProperty("SLACK_BOT_TOKEN", "xoxb-test");
		assertThat(OnSlackConfiguredCondition.configured(environment).isMatch()).isTrue();
	}

	@Test
	void doesNotMatchWithoutChannelOrToken() {
		assertThat(OnSlackConfiguredCondition.configured(new MockEnvironment()).isMatch()).isFalse();
	}

	@Test
	void matchesDuringAotProcessingSoThatANativeImageReadsTheTokenAtStartup() {
		System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		assertThat(OnSlackConfiguredCondition.configured(new MockEnvironment()).isMatch()).isTrue();
	}

}
