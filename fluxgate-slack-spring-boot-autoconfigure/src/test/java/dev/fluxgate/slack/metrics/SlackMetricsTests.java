package dev.fluxgate.slack.metrics;

import java.time.Duration;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.delivery.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What becomes of each message is counted in {@code fluxgate.slack.messages} by outcome; retries, Web API calls,
 * pending messages and open threads have meters of their own.
 */
class SlackMetricsTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final AsyncSlackListener listener = slack.configure(AsyncSlackListener.builder())
		.retryPolicy(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(200)))
		.queueCapacity(5)
		.observer(new SlackMetrics(this.registry))
		.build();

	@AfterEach
	void close() {
		this.listener.close();
	}

	@Test
	void metricsCountSentFailedDroppedAndRetried() {
		SlackMetrics.gauges(this.listener).bindTo(this.registry);
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("metrics-broken"))
			.atPriority(1)
			.willReturn(SlackStandIn.error("invalid_auth")));
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("metrics-retried"))
			.atPriority(1)
			.willReturn(aResponse().withStatus(503)));
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("metrics-flood"))
			.atPriority(1)
			.willReturn(SlackStandIn.ok().withFixedDelay(1500)));
		bound("metrics-sent").transitionToOpenState();
		bound("metrics-broken").transitionToOpenState();
		await().until(() -> count("outcome", "failed") == 1);
		bound("metrics-retried").transitionToOpenState();
		await().until(() -> count("outcome", "failed") == 2);
		CircuitBreaker flood = bound("metrics-flood");
		for (int i = 0; i < 3; i++) {
			flood.transitionToOpenState();
			flood.transitionToHalfOpenState();
		}
		flood.transitionToClosedState();
		assertThat(count("outcome", "dropped")).isEqualTo(2);
		assertThat(this.registry.get(SlackMetrics.PENDING).gauge().value()).isEqualTo(5);
		await().atMost(Duration.ofSeconds(15)).until(() -> this.registry.get(SlackMetrics.PENDING).gauge().value() == 0);
		assertThat(count("outcome", "sent")).isEqualTo(6);
		assertThat(this.registry.get(SlackMetrics.RETRIES).counter().count()).isEqualTo(1);
		assertThat(this.registry.get(SlackMetrics.REQUESTS).tag("method", "chat.postMessage").timers())
			.isNotEmpty();
		assertThat(this.registry.get(SlackMetrics.THREADS_ACTIVE).gauge().value()).isPositive();
	}

	private CircuitBreaker bound(String name) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		this.listener.bindTo(circuitBreaker);
		return circuitBreaker;
	}

	private double count(String tag, String value) {
		return this.registry.find(SlackMetrics.MESSAGES)
			.tag(tag, value)
			.counters()
			.stream()
			.mapToDouble(io.micrometer.core.instrument.Counter::count)
			.sum();
	}

}
