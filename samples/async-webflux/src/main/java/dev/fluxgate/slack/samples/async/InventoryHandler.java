package dev.fluxgate.slack.samples.async;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Looks up stock through the {@code async_api} circuit breaker, as a resilience4j-reactor operator.
 */
@RestController
class InventoryHandler {

	private final CircuitBreaker circuitBreaker;

	private final AtomicBoolean warehouseDown = new AtomicBoolean();

	InventoryHandler(CircuitBreakerRegistry registry) {
		this.circuitBreaker = registry.circuitBreaker("async_api");
	}

	@GetMapping("/stock/{sku}")
	Mono<ResponseEntity<String>> stock(@PathVariable String sku) {
		return Mono.defer(() -> this.warehouseDown.get()
				? Mono.<String>error(new IllegalStateException("warehouse unavailable")) : Mono.just(sku + ": 7"))
			.transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
			.map(ResponseEntity::ok)
			.onErrorResume((ex) -> Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(ex.getMessage())));
	}

	void warehouseDown(boolean down) {
		this.warehouseDown.set(down);
	}

}
