package dev.fluxgate.slack.samples.fleet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service run as several replicas: each has its own circuit breaker {@code payment-api}, and all share one Redis,
 * so that one outage of the payment provider is one Slack thread, whichever replicas trip.
 */
@SpringBootApplication
public class FleetApplication {

	public static void main(String[] args) {
		SpringApplication.run(FleetApplication.class, args);
	}

}
