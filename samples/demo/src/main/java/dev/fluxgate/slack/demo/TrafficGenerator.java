package dev.fluxgate.slack.demo;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A steady trickle of payments, so the circuit breaker has calls to count.
 */
@Component
class TrafficGenerator {

	private final PaymentApi paymentApi;

	private final AtomicLong succeeded = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	TrafficGenerator(PaymentApi paymentApi) {
		this.paymentApi = paymentApi;
	}

	@Scheduled(fixedRateString = "${demo.traffic.interval:200ms}")
	void pay() {
		try {
			this.paymentApi.charge();
			this.succeeded.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.failed.incrementAndGet();
		}
	}

	long succeeded() {
		return this.succeeded.get();
	}

	long failed() {
		return this.failed.get();
	}

}
