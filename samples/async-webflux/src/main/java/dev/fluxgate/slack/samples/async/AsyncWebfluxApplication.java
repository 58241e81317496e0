package dev.fluxgate.slack.samples.async;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * WebFlux with the async listener: transitions happen on event loops, which the listener never blocks.
 */
@SpringBootApplication
public class AsyncWebfluxApplication {

	public static void main(String[] args) {
		SpringApplication.run(AsyncWebfluxApplication.class, args);
	}

}
