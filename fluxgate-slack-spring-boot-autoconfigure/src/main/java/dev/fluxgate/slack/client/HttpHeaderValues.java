package dev.fluxgate.slack.client;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Slack client reads from HTTP headers: {@code Retry-After} and where a redirect points.
 */
final class HttpHeaderValues {

	private static final Logger logger = LoggerFactory.getLogger(HttpHeaderValues.class);

	private HttpHeaderValues() {
	}

	/**
	 * Read {@code Retry-After}: delay seconds, or an HTTP-date; one second when absent or unreadable.
	 */
	static Duration retryAfter(List<String> values) {
		if (!values.isEmpty()) {
			String value = values.get(0).trim();
			try {
				return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
			}
			catch (NumberFormatException ex) {
				try {
					Duration until = Duration.between(Instant.now(),
							ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
					return until.isNegative() ? Duration.ZERO : until;
				}
				catch (DateTimeParseException notADate) {
					logger.debug("Unreadable Retry-After '{}'; waiting one second", value);
				}
			}
		}
		return Duration.ofSeconds(1);
	}

	/** Where a redirect points, as scheme, host and port only: its path or query may hold anything. */
	static String origin(List<String> location) {
		if (location.isEmpty()) {
			return "nowhere (no Location header)";
		}
		try {
			URI uri = URI.create(location.get(0).trim());
			return (uri.getHost() != null) ? uri.getScheme() + "://" + uri.getHost()
					+ ((uri.getPort() != -1) ? ":" + uri.getPort() : "") : "a path on the same host";
		}
		catch (IllegalArgumentException ex) {
			return "an unreadable Location";
		}
	}

}
