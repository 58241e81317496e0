package dev.fluxgate.slack.demo;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A scripted outage a few seconds after startup: the payment provider breaks, the breaker trips, a recovery attempt
 * fails, the provider is fixed and the breaker recovers.
 */
@Component
@ConditionalOnBooleanProperty(name = "demo.autopilot.enabled", matchIfMissing = true)
class Autopilot implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(Autopilot.class);

	private final PaymentApi paymentApi;

	private final Duration breakAfter;

	private final Duration fixAfter;

	private Disposable script;

	Autopilot(PaymentApi paymentApi, @Value("${demo.autopilot.break-after:3s}") Duration breakAfter,
			@Value("${demo.autopilot.fix-after:9s}") Duration fixAfter) {
		this.paymentApi = paymentApi;
		this.breakAfter = breakAfter;
		this.fixAfter = fixAfter;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.script = Mono.delay(this.breakAfter).doOnNext((tick) -> {
			logger.info("Autopilot: the payment provider goes down");
			this.paymentApi.breakIt();
		}).then(Mono.delay(this.fixAfter.minus(this.breakAfter))).subscribe((tick) -> {
			logger.info("Autopilot: the payment provider is fixed");
			this.paymentApi.fix();
		});
	}

	@Override
	public void destroy() {
		if (this.script != null) {
			this.script.dispose();
		}
	}

}
