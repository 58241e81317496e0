package dev.fluxgate.slack.samples.sync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring MVC with the sync listener: a breaker's transition is in Slack before the call that caused it returns.
 */
@SpringBootApplication
public class SyncServletApplication {

	public static void main(String[] args) {
		SpringApplication.run(SyncServletApplication.class, args);
	}

}
