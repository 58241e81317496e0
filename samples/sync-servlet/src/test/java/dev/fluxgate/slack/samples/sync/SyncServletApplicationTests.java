package dev.fluxgate.slack.samples.sync;

import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SyncServletApplicationTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@LocalServerPort
	private int port;

	@Autowired
	private PaymentClient payments;

	@Autowired
	private CircuitBreakerRegistry registry;

	@Autowired
	private SlackListener listener;

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		slack.addSeedVariables(properties);
	}


	@Test
	void tripIsInSlackBeforeTheTrippingRequestReturns() {
		RestClient http = RestClient.create("http://localhost:" + this.port);
		this.payments.providerDown(true);
		for (int i = 0; i < 4; i++) {
			http.post().uri("/pay?cents=100").retrieve().onStatus((status) -> true, (request, response) -> {
			}).toBodilessEntity();
		}
		assertThat(this.registry.circuitBreaker("payment_api").getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(slack.delivered()).singleElement().satisfies((root) -> {
			assertThat(root.circuitBreaker()).isEqualTo("payment_api");
			assertThat(root.title()).isEqualTo("🚨 Circuit Breaker Triggered");
			assertThat(root.threadTs()).isNull();
		});
		this.registry.circuitBreaker("payment_api").transitionToHalfOpenState();
		this.payments.providerDown(false);
		this.registry.circuitBreaker("payment_api").transitionToClosedState();
		assertThat(slack.posts()).hasSize(3);
		assertThat(slack.posts().subList(1, 3)).extracting(SlackStandIn.Post::threadTs)
			.containsOnly(slack.posts().get(0).ts());
		assertThat(this.listener.getThreadStore().findAll().collectList().block()).isEmpty();
	}

}
