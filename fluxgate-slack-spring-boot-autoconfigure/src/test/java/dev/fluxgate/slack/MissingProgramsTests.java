package dev.fluxgate.slack;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test class whose program is missing is skipped, JUnit's report saying what to install and nothing printed; with
 * {@code -Dfluxgate.tests.require-tools=true} it fails instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class MissingProgramsTests {

	private static final String CLASS = "MissingProgramsTests$NeedsAMissingProgram";

	private static final String INSTALL = "install the fluxgate test program (apt-get install fluxgate-test-program): "
			+ NeedsAMissingProgram.PROGRAM + " is missing or not executable";

	@Test
	void aMissingProgramSkipsTheClassSayingWhatToInstallInJUnitsReport(CapturedOutput output) {
		Map<String, String> outcomes = runWithRequireTools("false");
		assertThat(outcomes).containsExactly(
				Map.entry(CLASS, "skipped: " + INSTALL + "; CI runs it, with -Dfluxgate.tests.require-tools=true"));
		assertThat(output.getAll()).doesNotContain(NeedsAMissingProgram.PROGRAM);
	}

	@Test
	void aMissingProgramFailsTheClassWhenToolsAreRequired() {
		Map<String, String> outcomes = runWithRequireTools("true");
		assertThat(outcomes).containsOnlyKeys(CLASS);
		assertThat(outcomes.get(CLASS)).startsWith("FAILED")
			.contains(INSTALL + " (-Dfluxgate.tests.require-tools=true: CI never skips it)");
	}

	private static Map<String, String> runWithRequireTools(String requireTools) {
		String before = System.setProperty(RequiredProgramsCondition.REQUIRE_TOOLS, requireTools);
		try {
			Map<String, String> outcomes = new LinkedHashMap<>();
			LauncherFactory.create()
				.execute(LauncherDiscoveryRequestBuilder.request()
					.selectors(DiscoverySelectors.selectClass(NeedsAMissingProgram.class))
					.build(), new TestExecutionListener() {

						@Override
						public void executionSkipped(TestIdentifier test, String reason) {
							outcomes.put(test.getDisplayName(), "skipped: " + reason);
						}

						@Override
						public void executionFinished(TestIdentifier test, TestExecutionResult result) {
							if (test.getSource().isPresent()) {
								outcomes.put(test.getDisplayName(), result.getStatus()
										+ result.getThrowable().map((ex) -> ": " + ex.getMessage()).orElse(""));
							}
						}

					});
			return outcomes;
		}
		finally {
			if (before != null) {
				System.setProperty(RequiredProgramsCondition.REQUIRE_TOOLS, before);
			}
			else {
				System.clearProperty(RequiredProgramsCondition.REQUIRE_TOOLS);
			}
		}
	}

	@RequiresPrograms(value = NeedsAMissingProgram.PROGRAM,
			install = "the fluxgate test program (apt-get install fluxgate-test-program)")
	static class NeedsAMissingProgram {

		static final String PROGRAM = "/nonexistent/fluxgate-test-program";

		@Test
		void runsOnlyWithTheProgram() {
			assertThat(PROGRAM).isNotEmpty();
		}

	}

}
