package dev.fluxgate.slack.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A misconfigured application stops with Spring Boot's failure report, written by our failure analyzer.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	@Test
	void misconfigurationIsReportedWithPropertyValueAndFix(CapturedOutput output) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--fluxgate.slack.channel=C1",
				"--fluxgate.slack.token=xoxb-never-shown", "--fluxgate.slack.queue-capacity=0"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: fluxgate.slack.queue-capacity")
			.contains("Value: 0")
			.contains("Set fluxgate.slack.queue-capacity to 1 or more")
			.doesNotContain("xoxb-never-shown");
	}

	@Test
	void anUnknownModeIsReportedWithTheValidValues(CapturedOutput output) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--fluxgate.slack.channel=C1",
				"--fluxgate.slack.token=xoxb-never-shown", "--fluxgate.slack.mode=fast"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: fluxgate.slack.mode")
			.contains("Value: \"fast\"")
			.contains("ASYNC")
			.contains("SYNC")
			.doesNotContain("xoxb-never-shown");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MinimalApplication {

	}

}
