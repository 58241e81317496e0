package dev.fluxgate.slack.actuate;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackErrorHints;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.socket.SocketObserver;
import dev.fluxgate.slack.socket.SocketState;

/**
 * Remembers whether Slack takes our messages: the last delivery, and the permanent failure since then, if any. Never
 * calls Slack itself.
 */
public class DeliveryStatus implements DeliveryObserver, SocketObserver {

	private final Clock clock;

	private volatile Instant lastDelivery;

	private volatile Failure failure;

	private volatile StoreFallback storeFallback;

	private volatile SocketState socket;

	public DeliveryStatus() {
		this(Clock.systemUTC());
	}

	public DeliveryStatus(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void delivered(TransitionSnapshot snapshot, java.time.Duration took) {
		this.lastDelivery = this.clock.instant();
		this.failure = null;
	}

	@Override
	public void failed(TransitionSnapshot snapshot, SlackApiException failure) {
		if (!failure.isRetryable()) {
			this.failure = new Failure(failure.getError(), SlackErrorHints.hintFor(failure.getError()),
					snapshot.circuitBreaker(), this.clock.instant());
		}
	}

	@Override
	public void storeFellBack(String operation, Throwable cause) {
		this.storeFallback = new StoreFallback(operation, cause.toString(), this.clock.instant());
	}

	/**
	 * Return the last time the shared thread store failed and this process's memory kept the threads instead.
	 * @return the fallback, or empty when there was none
	 */
	public Optional<StoreFallback> getLastStoreFallback() {
		return Optional.ofNullable(this.storeFallback);
	}

	/**
	 * Return when a message last reached Slack.
	 * @return the time, or empty when none has yet
	 */
	public Optional<Instant> getLastDelivery() {
		return Optional.ofNullable(this.lastDelivery);
	}

	/**
	 * Return the permanent failure since the last delivery.
	 * @return the failure, or empty when Slack takes our messages or nothing was sent yet
	 */
	public Optional<Failure> getPermanentFailure() {
		return Optional.ofNullable(this.failure);
	}

	/**
	 * A message Slack refused for a reason that will not pass by itself.
	 *
	 * @param error Slack's error code
	 * @param hint what to do about it, or {@code null}
	 * @param circuitBreaker the circuit breaker whose message was refused
	 * @param at when
	 */
	public record Failure(String error, String hint, String circuitBreaker, Instant at) {
	}

	/**
	 * A thread store operation that failed, its thread kept in memory instead.
	 *
	 * @param operation the store operation
	 * @param cause why it failed
	 * @param at when
	 */
	public record StoreFallback(String operation, String cause, Instant at) {
	}


	@Override
	public void stateChanged(SocketState state) {
		this.socket = state;
	}

	/**
	 * Return the state of the Socket Mode connection the buttons' clicks arrive on.
	 * @return the state, or empty without buttons
	 */
	public Optional<SocketState> getSocketState() {
		return Optional.ofNullable(this.socket);
	}

}
