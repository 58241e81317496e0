package dev.fluxgate.slack.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a Slack channel or bot token is set, as a property or as the seed's environment variable. With only one
 * of the two, startup then fails and says which is missing.
 * <p>
 * Spring AOT fixes conditions at build time, where the token is rarely set. So while an application is AOT-processed
 * this matches: an AOT-processed application or native image reads the channel and token at startup, and one started
 * without them stops with the report that says what to set (or {@code fluxgate.slack.enabled=false}).
 */
class OnSlackConfiguredCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return configured(context.getEnvironment());
	}

	static ConditionOutcome configured(Environment environment) {
		if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			return ConditionOutcome.match("AOT processing: the channel and token are read at startup");
		}
		boolean channel = environment.containsProperty("fluxgate.slack.channel")
				|| environment.containsProperty(SlackSettings.CHANNEL_VARIABLE);
		boolean token = environment.containsProperty("fluxgate.slack.token")
				|| environment.containsProperty(SlackSettings.TOKEN_VARIABLE);
		if (channel || token) {
			return ConditionOutcome.match("a Slack channel or bot token is set");
		}
		return ConditionOutcome.noMatch("neither SLACK_CHANNEL_ID/fluxgate.slack.channel nor "
				+ "SLACK_BOT_TOKEN/fluxgate.slack.token is set");
	}

	/**
	 * Matches when neither a Slack channel nor a bot token is set.
	 */
	static class Not extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionOutcome outcome = configured(context.getEnvironment());
			return new ConditionOutcome(!outcome.isMatch(), outcome.getConditionMessage());
		}

	}

}
