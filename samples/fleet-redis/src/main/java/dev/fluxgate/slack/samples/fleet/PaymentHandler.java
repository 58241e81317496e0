package dev.fluxgate.slack.samples.fleet;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pays through the {@code payment-api} circuit breaker. {@code PUT /provider?up=false} makes the provider fail, as an
 * outage would, and {@code PUT /provider?up=true} brings it back.
 */
@RestController
class PaymentHandler {

	private final CircuitBreaker circuitBreaker;

	private final AtomicBoolean providerUp = new AtomicBoolean(true);

	PaymentHandler(CircuitBreakerRegistry registry) {
		this.circuitBreaker = registry.circuitBreaker("payment-api");
	}

	@GetMapping("/pay")
	Mono<ResponseEntity<String>> pay() {
		return Mono.defer(() -> this.providerUp.get() ? Mono.just("paid")
				: Mono.<String>error(new IllegalStateException("payment provider unavailable")))
			.transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
			.map(ResponseEntity::ok)
			.onErrorResume((ex) -> Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(ex.getMessage())));
	}

	@PutMapping("/provider")
	String provider(@RequestParam boolean up) {
		this.providerUp.set(up);
		return "provider " + (up ? "up" : "down") + ", circuit breaker " + this.circuitBreaker.getState();
	}

}
