package dev.fluxgate.slack.autoconfigure;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.message.SlackText;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an on-call engineer sees beyond the messages, through real HTTP: the {@code slackthreads} endpoint and the
 * {@code slack} health over the web, and alerts that tell more than the seed. The endpoint, health and metrics are
 * specified on their own in {@code SlackThreadsEndpointTests}, {@code SlackHealthIndicatorTests} and
 * {@code SlackMetricsTests}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("operability")
class OperabilityApplicationTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Autowired
	private WebTestClient http;

	@Autowired
	private CircuitBreakerRegistry registry;

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		properties.add("fluxgate.slack.base-url", slack::baseUrl);
	}

	@Test
	void endpointShowsEachOpenThreadThroughTheCycle() {
		CircuitBreaker orders = this.registry.circuitBreaker("orders");
		orders.transitionToOpenState();
		String root = slack.awaitPosts(1).get(0).ts();
		await().untilAsserted(() -> this.http.get()
			.uri("/actuator/slackthreads")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.channel").isEqualTo(SlackStandIn.CHANNEL)
			.jsonPath("$.mode").isEqualTo("async")
			.jsonPath("$.pending").isEqualTo(0)
			.jsonPath("$.threads[?(@.circuitBreaker == 'orders')].threadTs").isEqualTo(root)
			.jsonPath("$.threads[?(@.circuitBreaker == 'orders')].state").isEqualTo("OPEN")
			.jsonPath("$.threads[?(@.circuitBreaker == 'orders')].channel").isEqualTo(SlackStandIn.CHANNEL)
			.jsonPath("$.threads[?(@.circuitBreaker == 'orders')].messages").isEqualTo(1)
			.jsonPath("$.threads[?(@.circuitBreaker == 'orders')].openedAt").exists()
			.jsonPath("$.threads[?(@.circuitBreaker == 'orders')].lastTransitionAt").exists());
		orders.transitionToHalfOpenState();
		await().untilAsserted(() -> this.http.get()
			.uri("/actuator/slackthreads/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state").isEqualTo("HALF_OPEN")
			.jsonPath("$.messages").isEqualTo(2)
			.jsonPath("$.threadTs").isEqualTo(root));
		this.http.get().uri("/actuator/slackthreads/nothing-open").exchange().expectStatus().isNotFound();
		this.http.delete()
			.uri("/actuator/slackthreads/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.threadTs").isEqualTo(root);
		this.http.get().uri("/actuator/slackthreads/orders").exchange().expectStatus().isNotFound();
		orders.transitionToOpenState();
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.get(2).threadTs()).as("a forgotten thread is not replied to").isNull();
		orders.transitionToClosedState();
		slack.awaitPosts(4);
		await().untilAsserted(() -> this.http.get()
			.uri("/actuator/slackthreads")
			.exchange()
			.expectBody()
			.jsonPath("$.threads[?(@.circuitBreaker == 'orders')]").isEmpty());
		assertThat(this.http.get().uri("/actuator/slackthreads").exchange().expectBody(String.class).returnResult()
			.getResponseBody()).doesNotContain(SlackStandIn.TOKEN);
	}

	@Test
	void readingOrForgettingABreakerWithoutAThreadIsNotFound() {
		this.http.get().uri("/actuator/slackthreads/nothing-open").exchange().expectStatus().isNotFound();
		this.http.delete().uri("/actuator/slackthreads/nothing-open").exchange().expectStatus().isNotFound();
	}

	@Test
	void rootIsEditedToShowTheCycleStatus() {
		CircuitBreaker billing = this.registry.circuitBreaker("billing");
		billing.transitionToOpenState();
		billing.transitionToHalfOpenState();
		billing.transitionToOpenState();
		billing.transitionToHalfOpenState();
		billing.transitionToClosedState();
		String root = slack.awaitPosts(5).get(0).ts();
		await().until(() -> slack.updates().size() == 4);
		List<Post> updates = slack.updates();
		assertThat(updates).extracting(Post::section)
			.containsExactly("*🚨 Circuit Breaker Triggered — now HALF_OPEN*", "*🚨 Circuit Breaker Triggered — now OPEN*",
					"*🚨 Circuit Breaker Triggered — now HALF_OPEN*",
					"*🚨 Circuit Breaker Triggered — ✅ Recovered after 0s*");
		assertThat(updates).extracting(Post::bodyTs).containsOnly(root);
		assertThat(updates).extracting(Post::channel).containsOnly(SlackStandIn.CHANNEL);
		assertThat(updates.get(3).color()).isEqualTo("#36a64f");
		assertThat(updates).extracting(Post::text).noneMatch((text) -> text.contains("<!here>"));
	}

	@Test
	void failedRootUpdateDoesNotDisturbTheThread() {
		slack.stub(SlackStandIn.update().atPriority(1).willReturn(SlackStandIn.error("cant_update_message")));
		CircuitBreaker ledger = this.registry.circuitBreaker("ledger");
		ledger.transitionToOpenState();
		ledger.transitionToHalfOpenState();
		ledger.transitionToClosedState();
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
	}

	@Test
	void openMessageCarriesTheBreakersNumbersAtTheTrip() {
		CircuitBreaker checkout = this.registry.circuitBreaker("checkout");
		AtomicReference<CircuitBreaker.Metrics> atTrip = new AtomicReference<>();
		AtomicReference<String> numbersAtTrip = new AtomicReference<>();
		checkout.getEventPublisher().onStateTransition((event) -> {
			CircuitBreaker.Metrics metrics = checkout.getMetrics();
			atTrip.set(metrics);
			numbersAtTrip.set(SlackText.percent(metrics.getFailureRate()) + "|"
					+ SlackText.percent(metrics.getSlowCallRate()) + "|" + metrics.getNumberOfBufferedCalls()
					+ "|" + metrics.getNumberOfFailedCalls());
		});
		checkout.executeSupplier(() -> "ok");
		checkout.executeSupplier(() -> "ok");
		for (int i = 0; i < 2; i++) {
			try {
				checkout.executeRunnable(() -> {
					throw new IllegalStateException("checkout down");
				});
			}
			catch (IllegalStateException expected) {
				// the breaker records it
			}
		}
		assertThat(checkout.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		Post root = slack.awaitPosts(1).get(0);
		String[] expected = numbersAtTrip.get().split("\\|");
		assertThat(expected[0]).isEqualTo("50%");
		assertThat(root.block(2, 0)).isEqualTo("*Failure Rate:*\n" + expected[0] + " (threshold 50%)");
		assertThat(root.block(2, 1)).isEqualTo("*Slow Call Rate:*\n" + expected[1] + " (threshold 80%)");
		assertThat(root.block(2, 2)).isEqualTo("*Calls:*\n" + expected[2] + " buffered, " + expected[3] + " failed");
	}

	@Test
	void mentionIsAddedToOpenRootsOnly() {
		CircuitBreaker search = this.registry.circuitBreaker("search");
		search.transitionToOpenState();
		search.transitionToHalfOpenState();
		search.transitionToOpenState();
		search.transitionToHalfOpenState();
		search.transitionToClosedState();
		List<Post> posts = slack.awaitPosts(5);
		assertThat(posts.get(0).text()).startsWith("<!here> 🚨 Circuit Breaker Triggered");
		assertThat(posts.get(0).section()).startsWith("<!here> *");
		assertThat(posts.subList(1, 5)).allSatisfy((reply) -> {
			assertThat(reply.text()).doesNotContain("<!here>");
			assertThat(reply.section()).doesNotContain("<!here>");
		});
	}

	@Test
	void routesSendBreakersToTheirOwnChannel() {
		CircuitBreaker inventory = this.registry.circuitBreaker("inventory-db");
		CircuitBreaker shipping = this.registry.circuitBreaker("shipping");
		inventory.transitionToOpenState();
		slack.awaitPosts(1);
		shipping.transitionToOpenState();
		slack.awaitPosts(2);
		inventory.transitionToHalfOpenState();
		List<Post> posts = slack.awaitPosts(3);
		assertThat(posts.get(0).channel()).isEqualTo("C0INVENTORY");
		assertThat(posts.get(1).channel()).isEqualTo(SlackStandIn.CHANNEL);
		assertThat(posts.get(2).channel()).isEqualTo("C0INVENTORY");
		assertThat(posts.get(2).threadTs()).isEqualTo(posts.get(0).ts());
		this.http.get()
			.uri("/actuator/slackthreads/inventory-db")
			.exchange()
			.expectBody()
			.jsonPath("$.channel").isEqualTo("C0INVENTORY");
	}

	@Test
	void recoveryCarriesOutagePermalinkAndPlaceholders() {
		CircuitBreaker payments = this.registry.circuitBreaker("payments-api");
		payments.transitionToOpenState();
		payments.transitionToHalfOpenState();
		payments.transitionToClosedState();
		List<Post> posts = slack.awaitPosts(3);
		Post recovery = posts.get(2);
		assertThat(recovery.description()).isEqualTo("payments-api is healthy again after 0s (HALF_OPEN → CLOSED).");
		assertThat(recovery.block(2, 0)).isEqualTo("*Outage:*\n0s");
		assertThat(recovery.block(2, 1)).isEqualTo("*Alert:*\n<" + SlackStandIn.WORKSPACE_URL + "archives/"
				+ SlackStandIn.CHANNEL + "/p" + posts.get(0).ts().replace(".", "") + "|first message of this outage>");
	}

	@Test
	void healthGoesDownOnAPermanentFailureAndUpAfterTheNextDelivery() {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("health-broken"))
			.atPriority(1)
			.willReturn(SlackStandIn.error("invalid_auth")));
		this.registry.circuitBreaker("health-broken").transitionToOpenState();
		await().untilAsserted(() -> this.http.get()
			.uri("/actuator/health/slack")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.status").isEqualTo("DOWN")
			.jsonPath("$.details.error").isEqualTo("invalid_auth")
			.jsonPath("$.details.circuitBreaker").isEqualTo("health-broken")
			.jsonPath("$.details.hint").value((hint) -> assertThat((String) hint).contains("xoxb-")));
		this.registry.circuitBreaker("health-fine").transitionToOpenState();
		await().untilAsserted(() -> this.http.get()
			.uri("/actuator/health/slack")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.details.lastDelivery").exists());
		assertThat(slack.server().findAll(com.github.tomakehurst.wiremock.client.WireMock
			.postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/auth.test"))))
			.as("health checks never call Slack").isEmpty();
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
