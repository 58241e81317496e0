package dev.fluxgate.slack.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;


/**
 * What the {@code slack} health indicator of either Spring Boot line reports: DOWN with Slack's error code while a
 * permanent failure is the latest word from Slack, UP otherwise.
 *
 * @param up whether Slack takes our messages
 * @param details the channel, the last delivery and the failure, in that order
 */
record SlackHealthDetails(boolean up, Map<String, Object> details) {

	static SlackHealthDetails of(DeliveryStatus status, String channel) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("channel", channel);
		status.getLastDelivery().ifPresent((at) -> details.put("lastDelivery", at.toString()));
		DeliveryStatus.Failure failure = status.getPermanentFailure().orElse(null);
		if (failure != null) {
			details.put("error", failure.error());
			details.put("circuitBreaker", failure.circuitBreaker());
			details.put("failedAt", failure.at().toString());
			if (failure.hint() != null) {
				details.put("hint", failure.hint());
			}
		}
		status.getLastStoreFallback()
			.ifPresent((fallback) -> details.put("lastStoreFallback",
					fallback.at() + " " + fallback.operation() + ": " + fallback.cause()));
		status.getSocketState()
			.ifPresent((socket) -> details.put("socket", socket.name().toLowerCase(Locale.ROOT)));
		return new SlackHealthDetails(failure == null, details);
	}

}
