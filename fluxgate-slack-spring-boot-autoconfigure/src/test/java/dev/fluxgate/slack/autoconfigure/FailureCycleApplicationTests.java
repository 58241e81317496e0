package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * An application with resilience4j-spring-boot4 and the starter, its breakers configured in application.yml, going
 * through a whole failure cycle.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("cycle")
class FailureCycleApplicationTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Autowired
	private CircuitBreakerRegistry registry;

	@Autowired
	private InventoryClient inventory;

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		properties.add("fluxgate.slack.base-url", slack::baseUrl);
	}

	@Test
	void configuredBreakerPostsOneThreadPerFailureCycle() {
		CircuitBreaker payment = this.registry.circuitBreaker("payment");
		payment.executeSupplier(() -> "ok");
		payment.executeSupplier(() -> "ok");
		for (int i = 0; i < 2; i++) {
			assertThatIllegalStateException().isThrownBy(() -> payment.executeRunnable(() -> {
				throw new IllegalStateException("payment provider down");
			}));
		}
		assertThat(payment.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		await().atMost(Duration.ofSeconds(5)).until(() -> payment.getState() == CircuitBreaker.State.HALF_OPEN);
		payment.executeSupplier(() -> "ok");
		payment.executeSupplier(() -> "ok");
		assertThat(payment.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts).extracting(Post::title)
			.containsExactly("🚨 Circuit Breaker Triggered", "🔄 Attempting Circuit Breaker Recovery",
					"✅ Circuit Breaker Recovered");
		assertThat(posts).extracting(Post::circuitBreaker).containsOnly("payment");
		assertThat(posts.get(0).threadTs()).isNull();
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(1).hasReplyBroadcast()).isFalse();
		assertThat(posts.get(2).broadcast()).isTrue();
	}

	@Test
	void annotatedBreakerIsAnnouncedOnItsFirstTrip() {
		assertThat(this.registry.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
			.doesNotContain("recommendations");
		for (int i = 0; i < 2; i++) {
			assertThatIllegalStateException().isThrownBy(this.inventory::recommendations);
		}
		assertThat(this.registry.circuitBreaker("recommendations").getState()).isEqualTo(CircuitBreaker.State.OPEN);
		Post root = slack.awaitPosts(1).get(0);
		assertThat(root.circuitBreaker()).isEqualTo("recommendations");
		assertThat(root.transition()).isEqualTo("CLOSED → OPEN");
	}

	@Test
	void breakerCreatedByHandIsAnnounced() {
		this.registry.circuitBreaker("created-by-hand").transitionToOpenState();
		assertThat(slack.awaitPosts(1).get(0).circuitBreaker()).isEqualTo("created-by-hand");
	}

	@SpringBootApplication
	static class TestApplication {

		@Bean
		InventoryClient inventoryClient() {
			return new InventoryClient();
		}

	}

	@Service
	static class InventoryClient {

		@io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "recommendations")
		public String recommendations() {
			throw new IllegalStateException("recommendations down");
		}

	}

}
