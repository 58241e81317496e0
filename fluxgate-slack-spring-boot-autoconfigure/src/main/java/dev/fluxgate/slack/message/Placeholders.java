package dev.fluxgate.slack.message;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {name}} placeholders a template's title and description may use. No expression language: placeholders
 * only.
 */
public final class Placeholders {

	/** The placeholders templates may use. */
	public static final List<String> KNOWN = List.of("name", "from", "to", "failureRate", "failureRateThreshold",
			"slowCallRate", "duration");

	/** The placeholders of a storm digest's templates. */
	public static final List<String> DIGEST = List.of("count");

	/** The placeholders of the coalesced reply's template. */
	public static final List<String> COALESCED = List.of("count", "states", "name", "from", "to", "transition");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

	private Placeholders() {
	}

	/**
	 * Return the placeholders in a text that templates may not use.
	 * @param text the text
	 * @return the unknown placeholder names, in order of appearance
	 */
	public static Set<String> unknown(String text) {
		return unknown(text, KNOWN);
	}

	/**
	 * Return the placeholders in a text that are not among the given ones.
	 * @param text the text
	 * @param known the placeholders the text may use
	 * @return the unknown placeholder names, in order of appearance
	 */
	public static Set<String> unknown(String text, List<String> known) {
		Set<String> unknown = new LinkedHashSet<>();
		Matcher matcher = PLACEHOLDER.matcher(text);
		while (matcher.find()) {
			if (!known.contains(matcher.group(1))) {
				unknown.add(matcher.group(1));
			}
		}
		return unknown;
	}

	/**
	 * Replace the known placeholders of a text.
	 * @param text the text
	 * @param values the value of each placeholder
	 * @return the text with its placeholders replaced
	 */
	public static String replace(String text, Map<String, String> values) {
		if (text.indexOf('{') < 0) {
			return text;
		}
		Matcher matcher = PLACEHOLDER.matcher(text);
		StringBuilder result = new StringBuilder(text.length() + 16);
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			matcher.appendReplacement(result, Matcher.quoteReplacement((value != null) ? value : matcher.group()));
		}
		return matcher.appendTail(result).toString();
	}

}
