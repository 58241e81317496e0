package dev.fluxgate.slack.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import dev.fluxgate.slack.SlackListenerInfo;
import dev.fluxgate.slack.action.ActionObserver;
import dev.fluxgate.slack.action.BreakerAction;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.socket.SocketObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of the Slack listener: what became of each message, retries, Web API call times, and gauges of
 * pending messages and open threads.
 */
public class SlackMetrics implements DeliveryObserver, ActionObserver, SocketObserver {

	/** Transitions by outcome ({@code sent}, {@code failed}, {@code dropped}, {@code coalesced}, {@code digested}, {@code silenced}) and transition. */
	public static final String MESSAGES = "fluxgate.slack.messages";

	/** Retries of messages, by Slack's error code. */
	public static final String RETRIES = "fluxgate.slack.retries";

	/** Web API calls by method and outcome. */
	public static final String REQUESTS = "fluxgate.slack.requests";

	/** Messages waiting to be delivered. */
	public static final String PENDING = "fluxgate.slack.pending";

	/** Open threads, one per circuit breaker in a failure cycle. */
	public static final String THREADS_ACTIVE = "fluxgate.slack.threads.active";

	public static final String STORE_FALLBACKS = "fluxgate.slack.store.fallbacks";

	public static final String STORE_REQUESTS = "fluxgate.slack.store.requests";

	/** Clicks on the threads' buttons, by action and outcome ({@code applied}, {@code denied}, {@code stale}, {@code failed}). */
	public static final String ACTIONS = "fluxgate.slack.actions";

	/** New Socket Mode connections, by reason. */
	public static final String SOCKET_RECONNECTS = "fluxgate.slack.socket.reconnects";

	/** Socket Mode envelopes received, by type. */
	public static final String SOCKET_ENVELOPES = "fluxgate.slack.socket.envelopes";

	private final MeterRegistry registry;

	public SlackMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void delivered(TransitionSnapshot snapshot, Duration took) {
		message("sent", snapshot);
	}

	@Override
	public void failed(TransitionSnapshot snapshot, SlackApiException failure) {
		message("failed", snapshot);
	}

	@Override
	public void dropped(TransitionSnapshot snapshot) {
		message("dropped", snapshot);
	}

	@Override
	public void coalesced(TransitionSnapshot snapshot) {
		message("coalesced", snapshot);
	}

	@Override
	public void silenced(TransitionSnapshot snapshot) {
		message("silenced", snapshot);
	}

	@Override
	public void digested(TransitionSnapshot snapshot) {
		message("digested", snapshot);
	}

	@Override
	public void retrying(TransitionSnapshot snapshot, SlackApiException failure) {
		Counter.builder(RETRIES)
			.description("Retries of Slack messages")
			.tag("error", failure.getError())
			.register(this.registry)
			.increment();
	}

	@Override
	public void requested(String method, Duration took, String outcome) {
		Timer.builder(REQUESTS)
			.description("Calls to Slack's Web API")
			.tag("method", method)
			.tag("outcome", outcome)
			.register(this.registry)
			.record(took);
	}

	@Override
	public void storeFellBack(String operation, Throwable cause) {
		Counter.builder(STORE_FALLBACKS)
			.description("Thread store operations that failed and fell back to this process's memory")
			.tag("operation", operation)
			.register(this.registry)
			.increment();
	}

	@Override
	public void storeRequested(String operation, Duration took, String outcome) {
		Timer.builder(STORE_REQUESTS)
			.description("Operations of the shared thread store")
			.tag("operation", operation)
			.tag("outcome", outcome)
			.register(this.registry)
			.record(took);
	}

	@Override
	public void clicked(BreakerAction action, Outcome outcome) {
		Counter.builder(ACTIONS)
			.description("Clicks on the Slack threads' buttons by what became of them")
			.tag("action", action.name().toLowerCase(Locale.ROOT))
			.tag("outcome", outcome.tag())
			.register(this.registry)
			.increment();
	}

	@Override
	public void reconnecting(String reason) {
		Counter.builder(SOCKET_RECONNECTS)
			.description("New Socket Mode connections to Slack by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	@Override
	public void envelope(String type) {
		Counter.builder(SOCKET_ENVELOPES)
			.description("Socket Mode envelopes received from Slack by type")
			.tag("type", type)
			.register(this.registry)
			.increment();
	}

	private void message(String outcome, TransitionSnapshot snapshot) {
		Counter.builder(MESSAGES)
			.description("Slack messages by what became of them")
			.tag("outcome", outcome)
			.tag("transition", snapshot.transition().key())
			.register(this.registry)
			.increment();
	}

	/**
	 * Return the gauges of a listener.
	 * @param listener the listener
	 * @return a binder registering its pending and open-thread gauges
	 */
	public static MeterBinder gauges(SlackListenerInfo listener) {
		return (registry) -> {
			Gauge.builder(PENDING, listener, SlackListenerInfo::getPending)
				.description("Slack messages waiting to be delivered")
				.register(registry);
			AtomicLong threads = new AtomicLong();
			Gauge.builder(THREADS_ACTIVE, listener, (bound) -> lastCount(bound, threads))
				.description("Open Slack threads, one per circuit breaker in a failure cycle")
				.register(registry);
		};
	}

	/**
	 * Ask the store for its count without blocking the meter registry: the gauge shows the count the store last
	 * answered, which an in-memory store answers at once.
	 */
	private static double lastCount(SlackListenerInfo listener, AtomicLong last) {
		listener.getThreadStore().count().subscribe(last::set, (ex) -> { });
		return last.get();
	}

}
