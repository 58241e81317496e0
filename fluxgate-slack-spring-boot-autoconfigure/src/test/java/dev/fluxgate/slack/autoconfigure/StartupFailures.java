package dev.fluxgate.slack.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user reads when startup fails on a Slack setting: the failure analysis of the starter's analyzer.
 */
final class StartupFailures {

	private StartupFailures() {
	}

	static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return analysis(context.getStartupFailure());
	}

	static FailureAnalysis analysis(Throwable failure) {
		assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(InvalidSlackPropertyException.class);
		FailureAnalysis analysis = new InvalidSlackPropertyFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

}
