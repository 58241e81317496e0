package dev.fluxgate.slack.demo;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.stereotype.Component;

/**
 * A simulated payment provider that can be broken and fixed, called through the {@code payment-api} circuit
 * breaker.
 */
@Component
public class PaymentApi {

	private final AtomicBoolean broken = new AtomicBoolean();

	private final CircuitBreaker circuitBreaker;

	public PaymentApi(CircuitBreakerRegistry registry) {
		this.circuitBreaker = registry.circuitBreaker("payment-api");
	}

	/**
	 * Charge a payment through the circuit breaker.
	 * @return the receipt
	 */
	public String charge() {
		return this.circuitBreaker.executeSupplier(() -> {
			if (this.broken.get()) {
				throw new IllegalStateException("payment provider answered 503");
			}
			return "receipt";
		});
	}

	public void breakIt() {
		this.broken.set(true);
	}

	public void fix() {
		this.broken.set(false);
	}

	public boolean isBroken() {
		return this.broken.get();
	}

	public CircuitBreaker.State state() {
		return this.circuitBreaker.getState();
	}

}
