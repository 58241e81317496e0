package dev.fluxgate.slack.samples.sync;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;

import org.springframework.stereotype.Service;

/**
 * Calls the payment provider through the {@code payment_api} circuit breaker.
 */
@Service
public class PaymentClient {

	private final AtomicBoolean providerDown = new AtomicBoolean();

	@CircuitBreaker(name = "payment_api")
	public String charge(long cents) {
		if (this.providerDown.get()) {
			throw new IllegalStateException("payment provider unavailable");
		}
		return "charged " + cents;
	}

	public void providerDown(boolean down) {
		this.providerDown.set(down);
	}

}
