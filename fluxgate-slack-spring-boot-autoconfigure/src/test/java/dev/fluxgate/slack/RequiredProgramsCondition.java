package dev.fluxgate.slack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Skips, or with {@value #REQUIRE_TOOLS} fails, a test class whose {@link RequiresPrograms} are not all executable,
 * saying what to install in JUnit's report (surefire's {@code <skipped message>}), never on the console.
 */
public final class RequiredProgramsCondition implements ExecutionCondition {

	/** The system property that turns a missing program from a skip into a failure. */
	public static final String REQUIRE_TOOLS = "fluxgate.tests.require-tools";

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		RequiresPrograms required = AnnotationSupport
			.findAnnotation(context.getRequiredTestClass(), RequiresPrograms.class)
			.orElse(null);
		if (required == null) {
			return ConditionEvaluationResult.enabled("needs no external program");
		}
		List<String> missing = Arrays.stream(required.value())
			.filter((program) -> !Files.isExecutable(Path.of(program)))
			.toList();
		if (missing.isEmpty()) {
			return ConditionEvaluationResult.enabled("found " + String.join(", ", required.value()));
		}
		String reason = "install " + required.install() + ": " + String.join(", ", missing)
				+ ((missing.size() == 1) ? " is" : " are") + " missing or not executable";
		if (Boolean.getBoolean(REQUIRE_TOOLS)) {
			throw new ExtensionConfigurationException(reason + " (-D" + REQUIRE_TOOLS + "=true: CI never skips it)");
		}
		return ConditionEvaluationResult.disabled(reason + "; CI runs it, with -D" + REQUIRE_TOOLS + "=true");
	}

}
