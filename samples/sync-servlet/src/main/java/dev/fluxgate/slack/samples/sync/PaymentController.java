package dev.fluxgate.slack.samples.sync;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PaymentController {

	private final PaymentClient payments;

	PaymentController(PaymentClient payments) {
		this.payments = payments;
	}

	@PostMapping("/pay")
	ResponseEntity<String> pay(@RequestParam long cents) {
		try {
			return ResponseEntity.ok(this.payments.charge(cents));
		}
		catch (RuntimeException ex) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(ex.getMessage());
		}
	}

	@PostMapping("/provider")
	ResponseEntity<Void> provider(@RequestParam boolean down) {
		this.payments.providerDown(down);
		return ResponseEntity.noContent().build();
	}

}
