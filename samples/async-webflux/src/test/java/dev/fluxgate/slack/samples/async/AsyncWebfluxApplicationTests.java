package dev.fluxgate.slack.samples.async;

import java.util.List;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AsyncWebfluxApplicationTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Autowired
	private WebTestClient http;

	@Autowired
	private InventoryHandler inventory;

	@Autowired
	private CircuitBreakerRegistry registry;

	@Autowired
	private AsyncSlackListener listener;

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		slack.addSeedVariables(properties);
	}


	@Test
	void failureCycleOnEventLoopsBecomesOneThread() {
		this.inventory.warehouseDown(true);
		for (int i = 0; i < 4; i++) {
			this.http.get().uri("/stock/sku-1").exchange().expectStatus().isEqualTo(503);
		}
		CircuitBreaker breaker = this.registry.circuitBreaker("async_api");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		this.inventory.warehouseDown(false);
		await().until(() -> breaker.getState() == CircuitBreaker.State.HALF_OPEN);
		this.http.get().uri("/stock/sku-1").exchange().expectStatus().isOk();
		this.http.get().uri("/stock/sku-1").exchange().expectStatus().isOk();
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		List<SlackStandIn.Post> posts = slack.awaitPosts(3);
		assertThat(posts).extracting(SlackStandIn.Post::title)
			.containsExactly("🚨 Circuit Breaker Triggered", "🔄 Attempting Circuit Breaker Recovery",
					"✅ Circuit Breaker Recovered");
		assertThat(posts.subList(1, 3)).extracting(SlackStandIn.Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
		this.http.get().uri("/actuator/slackthreads").exchange().expectBody().jsonPath("$.mode").isEqualTo("async");
		await().until(() -> this.listener.getThreadStore().findAll().collectList().block().isEmpty());
	}

}
