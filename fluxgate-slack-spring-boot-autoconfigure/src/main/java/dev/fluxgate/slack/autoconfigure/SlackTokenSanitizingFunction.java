package dev.fluxgate.slack.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the Slack bot and app-level tokens in {@code /actuator/env} and {@code /actuator/configprops}, even where values are shown:
 * under any of its keys, and wherever else its value turns up.
 */
final class SlackTokenSanitizingFunction implements SanitizingFunction {

	private static final Set<String> KEYS = Set.of("fluxgate.slack.token", "fluxgate_slack_token", "slack_bot_token",
			"fluxgate.slack.app_token", "fluxgate.slack.apptoken", "fluxgate_slack_app_token", "fluxgate_slack_apptoken",
			"slack_app_token");

	private final List<String> tokens;

	SlackTokenSanitizingFunction(String... tokens) {
		this.tokens = Arrays.stream(tokens).filter((token) -> token != null && !token.isBlank()).map(String::trim)
			.toList();
	}

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() == null) {
			return data;
		}
		String key = data.getLowerCaseKey().replace('-', '_');
		boolean tokenKey = KEYS.contains(key) || KEYS.contains(key.toLowerCase(Locale.ROOT).replace('_', '.'));
		String value = String.valueOf(data.getValue());
		boolean tokenValue = this.tokens.stream().anyMatch(value::contains);
		return (tokenKey || tokenValue) ? data.withSanitizedValue() : data;
	}

	@Override
	public String toString() {
		return "SlackTokenSanitizingFunction[token=******]";
	}

}
