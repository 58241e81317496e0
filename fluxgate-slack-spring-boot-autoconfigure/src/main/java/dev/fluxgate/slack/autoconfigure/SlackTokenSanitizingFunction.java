package dev.fluxgate.slack.autoconfigure;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the Slack bot token in {@code /actuator/env} and {@code /actuator/configprops}, even where values are shown:
 * under any of its keys, and wherever else its value turns up.
 */
final class SlackTokenSanitizingFunction implements SanitizingFunction {

	private static final Set<String> KEYS = Set.of("fluxgate.slack.token", "fluxgate_slack_token", "slack_bot_token");

	private final String token;

	SlackTokenSanitizingFunction(String token) {
		this.token = (token != null && !token.isBlank()) ? token.trim() : null;
	}

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() == null) {
			return data;
		}
		String key = data.getLowerCaseKey().replace('-', '_');
		boolean tokenKey = KEYS.contains(key) || KEYS.contains(key.toLowerCase(Locale.ROOT).replace('_', '.'));
		boolean tokenValue = this.token != null && String.valueOf(data.getValue()).contains(this.token);
		return (tokenKey || tokenValue) ? data.withSanitizedValue() : data;
	}

	@Override
	public String toString() {
		return "SlackTokenSanitizingFunction[token=******]";
	}

}
