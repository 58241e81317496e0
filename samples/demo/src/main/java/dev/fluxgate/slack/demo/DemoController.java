package dev.fluxgate.slack.demo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The page's buttons and status line.
 */
@RestController
@RequestMapping("/demo")
class DemoController {

	private final PaymentApi paymentApi;

	private final TrafficGenerator traffic;

	private final boolean recorder;

	private final String channel;

	DemoController(PaymentApi paymentApi, TrafficGenerator traffic,
			@Value("${demo.recorder.enabled:false}") boolean recorder,
			@Value("${fluxgate.slack.channel:${SLACK_CHANNEL_ID:}}") String channel) {
		this.paymentApi = paymentApi;
		this.traffic = traffic;
		this.recorder = recorder;
		this.channel = channel;
	}

	@PostMapping("/break")
	Status breakIt() {
		this.paymentApi.breakIt();
		return status();
	}

	@PostMapping("/fix")
	Status fix() {
		this.paymentApi.fix();
		return status();
	}

	@GetMapping("/status")
	Status status() {
		return new Status(this.recorder ? "recorder" : "slack", this.channel, this.paymentApi.state().name(),
				this.paymentApi.isBroken(), this.traffic.succeeded(), this.traffic.failed());
	}

	record Status(String target, String channel, String circuitBreaker, boolean providerBroken, long succeeded,
			long failed) {
	}

}
