package dev.fluxgate.slack.samples.sync;

import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/slackthreads/{name}} in a Spring MVC application on Tomcat: a breaker's thread, and 404 for a
 * breaker without one, on GET and on DELETE, as on WebFlux.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=slackthreads")
class SlackThreadsEndpointServletTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@LocalServerPort
	private int port;

	@Autowired
	private CircuitBreakerRegistry registry;

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		slack.addSeedVariables(properties);
	}

	@Test
	void readingOrForgettingABreakerWithoutAThreadIsNotFound() {
		assertThat(exchange("GET", "/actuator/slackthreads/nothing-open").getStatusCode().value()).isEqualTo(404);
		assertThat(exchange("DELETE", "/actuator/slackthreads/nothing-open").getStatusCode().value()).isEqualTo(404);
	}

	@Test
	void readsAndForgetsABreakersThread() {
		this.registry.circuitBreaker("servlet-orders").transitionToOpenState();
		String root = slack.awaitPosts(1).get(0).ts();
		ResponseEntity<String> read = exchange("GET", "/actuator/slackthreads/servlet-orders");
		assertThat(read.getStatusCode().value()).isEqualTo(200);
		assertThat(read.getBody()).contains("\"threadTs\":\"" + root + "\"").contains("\"state\":\"OPEN\"");
		ResponseEntity<String> forgotten = exchange("DELETE", "/actuator/slackthreads/servlet-orders");
		assertThat(forgotten.getStatusCode().value()).isEqualTo(200);
		assertThat(forgotten.getBody()).contains("\"threadTs\":\"" + root + "\"");
		assertThat(exchange("GET", "/actuator/slackthreads/servlet-orders").getStatusCode().value()).isEqualTo(404);
	}

	private ResponseEntity<String> exchange(String method, String path) {
		return RestClient.create("http://localhost:" + this.port)
			.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path)
			.retrieve()
			.onStatus((status) -> true, (request, response) -> {
			})
			.toEntity(String.class);
	}

}
