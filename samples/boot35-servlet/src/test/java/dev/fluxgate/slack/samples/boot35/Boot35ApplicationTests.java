package dev.fluxgate.slack.samples.boot35;

import java.util.List;
import java.util.Map;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Boot35ApplicationTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@LocalServerPort
	private int port;

	@Autowired
	private ShippingClient shipping;

	@Autowired
	private CircuitBreakerRegistry registry;

	@Autowired
	private AsyncSlackListener listener;

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		slack.addSeedVariables(properties);
	}


	@Test
	void runsOnSpringBoot35() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
	}

	@Test
	void failureCycleIsPostedAndThreaded() {
		this.shipping.down(true);
		for (int i = 0; i < 4; i++) {
			assertThatIllegalStateException().isThrownBy(() -> this.shipping.quote("parcel"));
		}
		CircuitBreaker breaker = this.registry.circuitBreaker("shipping");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		this.shipping.down(false);
		await().until(() -> breaker.getState() == CircuitBreaker.State.HALF_OPEN);
		this.shipping.quote("parcel");
		this.shipping.quote("parcel");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		List<SlackStandIn.Post> posts = slack.awaitPosts(3);
		assertThat(posts).extracting(SlackStandIn.Post::title)
			.containsExactly("🚨 Circuit Breaker Triggered", "🔄 Attempting Circuit Breaker Recovery",
					"✅ Circuit Breaker Recovered");
		assertThat(posts.subList(1, 3)).extracting(SlackStandIn.Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
		assertThat(posts.get(0).header("Authorization")).isEqualTo("Bearer " + SlackStandIn.TOKEN);
		await().until(() -> this.listener.getThreadStore().findAll().collectList().block().isEmpty());
	}

	@Test
	void slackHealthShowsWhetherSlackTakesTheMessages() {
		assertThat(slackHealth()).containsEntry("status", "UP");
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.error("invalid_auth")));
		this.registry.circuitBreaker("health-broken").transitionToOpenState();
		await().untilAsserted(() -> assertThat(slackHealth()).containsEntry("status", "DOWN")
			.extractingByKey("details")
			.satisfies((details) -> assertThat(details).asString().contains("error=invalid_auth")
				.contains("circuitBreaker=health-broken")));
		slack.reset();
		this.registry.circuitBreaker("health-fine").transitionToOpenState();
		await().untilAsserted(() -> assertThat(slackHealth()).containsEntry("status", "UP")
			.extractingByKey("details")
			.satisfies((details) -> assertThat(details).asString().contains("lastDelivery=")));
	}

	private Map<String, Object> slackHealth() {
		return RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/actuator/health/slack")
			.retrieve()
			.onStatus((status) -> true, (request, response) -> {
			})
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
	}

}
