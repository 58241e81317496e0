package dev.fluxgate.slack.autoconfigure;

import java.util.Map;

import dev.fluxgate.slack.SlackStandIn;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bot token stays masked in {@code /actuator/configprops} and {@code /actuator/env}, even where an application
 * shows values.
 */
class TokenMaskingTests {

	private static final String TOKEN = "xoxb-1234-secret-token-value";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class, EndpointAutoConfiguration.class,
				ConfigurationPropertiesReportEndpointAutoConfiguration.class, EnvironmentEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=configprops,env",
				"management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always",
				"fluxgate.slack.channel=" + SlackStandIn.CHANNEL);

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void configpropsMasksTheToken() {
		this.contextRunner.withPropertyValues("fluxgate.slack.token=" + TOKEN).run((context) -> {
			String report = this.json
				.writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
			assertThat(report).contains(SlackStandIn.CHANNEL).contains("******").doesNotContain(TOKEN);
		});
	}

	@Test
	void envMasksTheTokenUnderEveryName() {
		this.contextRunner.withPropertyValues("fluxgate.slack.token=" + TOKEN, "my.copy.of.it=" + TOKEN)
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource("env", Map.of("SLACK_BOT_TOKEN", TOKEN))))
			.run((context) -> {
				EnvironmentEndpoint endpoint = context.getBean(EnvironmentEndpoint.class);
				String report = this.json.writeValueAsString(endpoint.environment(null));
				assertThat(report).contains(SlackStandIn.CHANNEL).doesNotContain(TOKEN);
				assertThat(this.json.writeValueAsString(endpoint.environmentEntry("SLACK_BOT_TOKEN")))
					.doesNotContain(TOKEN);
			});
	}

	@Test
	void envMasksTheSeedVariableOnItsOwn() {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource("env", Map.of("SLACK_BOT_TOKEN", TOKEN))))
			.run((context) -> assertThat(
					this.json.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null)))
				.contains("SLACK_BOT_TOKEN")
				.doesNotContain(TOKEN));
	}

}
