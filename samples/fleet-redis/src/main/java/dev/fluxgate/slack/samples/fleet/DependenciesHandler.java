package dev.fluxgate.slack.samples.fleet;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A storm at hand: {@code PUT /dependencies?up=false&count=30} trips the breakers {@code dependency-00} to
 * {@code dependency-29} one after another, 50 ms apart, as when a shared dependency fails under many services, and
 * {@code PUT /dependencies?up=true&count=30} closes them again.
 */
@RestController
class DependenciesHandler {

	private final CircuitBreakerRegistry registry;

	DependenciesHandler(CircuitBreakerRegistry registry) {
		this.registry = registry;
	}

	@PutMapping("/dependencies")
	Mono<String> dependencies(@RequestParam boolean up, @RequestParam(defaultValue = "30") int count) {
		return Flux.range(0, count)
			.delayElements(Duration.ofMillis(50))
			.map((i) -> this.registry.circuitBreaker(String.format("dependency-%02d", i)))
			.doOnNext((circuitBreaker) -> {
				if (up) {
					circuitBreaker.transitionToClosedState();
				}
				else {
					circuitBreaker.transitionToOpenState();
				}
			})
			.map(CircuitBreaker::getState)
			.count()
			.map((changed) -> changed + " dependencies " + (up ? "up" : "down"));
	}

}
