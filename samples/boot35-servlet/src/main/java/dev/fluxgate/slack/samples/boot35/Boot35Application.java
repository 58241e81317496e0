package dev.fluxgate.slack.samples.boot35;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 3.5 MVC application: the same starter jar announces its breakers in Slack.
 */
@SpringBootApplication
public class Boot35Application {

	public static void main(String[] args) {
		SpringApplication.run(Boot35Application.class, args);
	}

}
