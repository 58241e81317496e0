package dev.fluxgate.slack.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.socket.SocketState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code slack} health indicator tells from deliveries so far whether Slack takes our messages: DOWN with
 * Slack's error code and the fix while a permanent failure is the latest word, UP again after the next delivery.
 */
class SlackHealthIndicatorTests {

	private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

	private final DeliveryStatus status = new DeliveryStatus(Clock.fixed(NOW, ZoneOffset.UTC));

	private final SlackHealthIndicator indicator = new SlackHealthIndicator(this.status, "C0123456789");

	private final TransitionSnapshot trip = new TransitionSnapshot("payment", Transition.of(State.CLOSED, State.OPEN),
			NOW);

	@Test
	void upWithTheChannelBeforeAnyMessage() {
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("channel", "C0123456789").doesNotContainKey("lastDelivery");
	}

	@Test
	void downOnAPermanentFailureWithTheErrorTheBreakerAndTheFix() {
		this.status.failed(this.trip, SlackApiException.fromErrorCode("chat.postMessage", "invalid_auth"));
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", "invalid_auth")
			.containsEntry("circuitBreaker", "payment")
			.containsEntry("failedAt", NOW.toString());
		assertThat((String) health.getDetails().get("hint")).contains("xoxb-");
	}

	@Test
	void aFailureThatMayPassLeavesItUp() {
		this.status.failed(this.trip, SlackApiException.fromErrorCode("chat.postMessage", "ratelimited"));
		assertThat(this.indicator.health(true).getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void upAgainAfterTheNextDelivery() {
		this.status.failed(this.trip, SlackApiException.fromErrorCode("chat.postMessage", "invalid_auth"));
		this.status.delivered(this.trip, Duration.ofMillis(20));
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lastDelivery", NOW.toString()).doesNotContainKey("error");
	}

	@ParameterizedTest
	@EnumSource(value = SocketState.class, names = { "CONNECTED", "RECONNECTING", "DISABLED" })
	void theSocketOfTheButtonsIsShownAndNeverTurnsItDown(SocketState socket) {
		this.status.stateChanged(socket);
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("socket", socket.name().toLowerCase(java.util.Locale.ROOT));
	}

	@Test
	void withoutButtonsThereIsNoSocket() {
		assertThat(this.indicator.health(true).getDetails()).doesNotContainKey("socket");
	}

}
