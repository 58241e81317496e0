package dev.fluxgate.slack.demo;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A payment API behind the circuit breaker {@code payment-api}, its failure cycles posted to Slack. Without
 * {@code SLACK_BOT_TOKEN} and {@code SLACK_CHANNEL_ID} it posts to a Slack-compatible recorder inside the demo and
 * shows the conversation at http://localhost:8080/.
 */
@SpringBootApplication
@EnableScheduling
public class DemoApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(DemoApplication.class);
		application.setDefaultProperties(defaults(System.getenv()));
		application.run(args);
	}

	/**
	 * Point the starter at the embedded recorder unless a real Slack workspace is configured. With the recorder, the
	 * root's buttons act through its Socket Mode stand-in; with a workspace, only when {@code SLACK_APP_TOKEN} is set.
	 * @param environment the process environment
	 * @return the default properties
	 */
	static Map<String, Object> defaults(Map<String, String> environment) {
		if (environment.containsKey("SLACK_BOT_TOKEN") && environment.containsKey("SLACK_CHANNEL_ID")) {
			// The token itself stays in the environment: a placeholder, resolved when bound
			return environment.containsKey("SLACK_APP_TOKEN") ? Map.of("demo.recorder.enabled", "false",
					"demo.actions.enabled", "true", "demo.app-token", "${SLACK_APP_TOKEN}")
					: Map.of("demo.recorder.enabled", "false");
		}
		return Map.of("demo.recorder.enabled", "true", "demo.actions.enabled", "true", "fluxgate.slack.token",
				"xoxb-demo-recorder", "fluxgate.slack.channel", "C0DEMO", "fluxgate.slack.base-url",
				"http://127.0.0.1:${server.port}/slack-api");
	}

}
