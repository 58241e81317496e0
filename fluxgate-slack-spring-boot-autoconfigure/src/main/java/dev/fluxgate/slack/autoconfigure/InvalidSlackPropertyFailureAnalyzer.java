package dev.fluxgate.slack.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidSlackPropertyException} into a startup report that names the property, its value and the
 * fix.
 */
class InvalidSlackPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSlackPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSlackPropertyException cause) {
		String description = String.format("Slack notifications of circuit breakers are misconfigured:%n%n"
				+ "    Property: %s%n    Value: %s%n    Reason: %s%n", cause.getProperty(), cause.getValue(),
				cause.getReason());
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
