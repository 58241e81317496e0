package dev.fluxgate.slack.samples.boot35;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;

import org.springframework.stereotype.Service;

/**
 * Calls the shipping provider through the {@code shipping} circuit breaker.
 */
@Service
public class ShippingClient {

	private final AtomicBoolean down = new AtomicBoolean();

	@CircuitBreaker(name = "shipping")
	public String quote(String parcel) {
		if (this.down.get()) {
			throw new IllegalStateException("shipping provider unavailable");
		}
		return parcel + ": 4.90";
	}

	public void down(boolean down) {
		this.down.set(down);
	}

}
