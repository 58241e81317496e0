package dev.fluxgate.slack.message;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Text as Slack takes it: its limits, mrkdwn escaping, mentions, and the way messages show rates and durations.
 */
public final class SlackText {

	private static final Pattern MENTION = Pattern
		.compile("<(!here|!channel|!everyone|!subteam\\^[A-Z0-9]+(\\|[^>]*)?|@[UW][A-Z0-9]+)>");

	/** Slack's limit for a section's text. */
	public static final int SECTION_LIMIT = 3000;

	/** Slack's limit for one field of a section. */
	public static final int FIELD_LIMIT = 2000;

	/** The length we keep a message's plain {@code text} to. */
	public static final int TEXT_LIMIT = 4000;

	private SlackText() {
	}

	/**
	 * Whether a text is one Slack mention.
	 * @param mention the text
	 * @return whether it is {@code <!here>}, {@code <!channel>}, {@code <!everyone>}, a user group or a user
	 */
	public static boolean isMention(String mention) {
		return mention != null && MENTION.matcher(mention).matches();
	}

	/**
	 * Cut a text to Slack's limit, ending it with "…", without splitting an escape or a character.
	 * @param text the text
	 * @param limit the most characters
	 * @return the text, cut if longer than the limit
	 */
	public static String truncate(String text, int limit) {
		if (text.length() <= limit) {
			return text;
		}
		int end = limit - 1;
		if (Character.isLowSurrogate(text.charAt(end)) || Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		int amp = text.lastIndexOf('&', end - 1);
		if (amp >= 0 && amp > end - 5 && text.indexOf(';', amp) >= end) {
			end = amp;
		}
		return text.substring(0, end) + "…";
	}

	/**
	 * Format a rate the way the messages show it.
	 * @param rate a percentage, or a negative number when too few calls were recorded
	 * @return such as {@code 62.5%}, or {@code not enough calls}
	 */
	public static String percent(float rate) {
		if (rate < 0) {
			return "not enough calls";
		}
		return ((rate == Math.rint(rate)) ? String.valueOf((long) rate) : String.valueOf(Math.round(rate * 10) / 10.0))
				+ "%";
	}

	/**
	 * Format a duration the way the messages show it.
	 * @param duration the duration
	 * @return such as {@code 4m 12s} or {@code 1h 3m}
	 */
	public static String format(Duration duration) {
		long seconds = Math.max(0, duration.toSeconds());
		if (seconds >= 3600) {
			return (seconds / 3600) + "h " + (seconds % 3600 / 60) + "m";
		}
		if (seconds >= 60) {
			return (seconds / 60) + "m " + (seconds % 60) + "s";
		}
		return seconds + "s";
	}

	/**
	 * Escape the three characters Slack's mrkdwn gives control meaning, so text can neither format links nor
	 * mention anyone.
	 * @param text the text
	 * @return the escaped text
	 */
	public static String escape(String text) {
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String replacement = switch (c) {
				case '&' -> "&amp;";
				case '<' -> "&lt;";
				case '>' -> "&gt;";
				default -> null;
			};
			if (replacement != null && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null && replacement != null) {
				escaped.append(replacement);
			}
			else if (escaped != null) {
				escaped.append(c);
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

}
