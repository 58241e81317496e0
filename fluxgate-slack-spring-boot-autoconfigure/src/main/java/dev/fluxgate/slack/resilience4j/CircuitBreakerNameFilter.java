package dev.fluxgate.slack.resilience4j;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Chooses circuit breakers by name from include and exclude patterns, {@code *} matching any characters.
 */
public final class CircuitBreakerNameFilter implements Predicate<String> {

	private final List<Pattern> include;

	private final List<Pattern> exclude;

	public CircuitBreakerNameFilter(List<String> include, List<String> exclude) {
		this.include = include.stream().map(CircuitBreakerNameFilter::compile).toList();
		this.exclude = exclude.stream().map(CircuitBreakerNameFilter::compile).toList();
	}

	@Override
	public boolean test(String name) {
		return (this.include.isEmpty() || matchesAny(this.include, name)) && !matchesAny(this.exclude, name);
	}

	private static boolean matchesAny(List<Pattern> patterns, String name) {
		return patterns.stream().anyMatch((pattern) -> pattern.matcher(name).matches());
	}

	private static Pattern compile(String glob) {
		StringBuilder regex = new StringBuilder();
		for (String part : glob.trim().split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		return Pattern.compile(regex.toString());
	}

}
