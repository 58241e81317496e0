package dev.fluxgate.slack.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.client.SlackResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Sends to Slack in each channel's turn: posts wait for the {@link ChannelPacer}, which learns from Slack's 429s, and
 * every call is timed for the {@link DeliveryObserver}. Edits are not paced: Slack limits {@code chat.update} apart
 * from {@code chat.postMessage}.
 */
public final class SlackPoster {

	private final SlackClient client;

	private final ChannelPacer pacer;

	private final RetryPolicy retryPolicy;

	private final DeliveryObserver observer;

	private final Clock clock;

	private final Scheduler scheduler;

	/**
	 * Create a poster.
	 * @param client the Slack client
	 * @param pacer the pacer of each channel's posts, or {@code null} for none
	 * @param retryPolicy the retry policy
	 * @param observer told how long each call took
	 * @param clock the clock calls and deadlines are timed on
	 * @param scheduler where retries wait
	 */
	public SlackPoster(SlackClient client, ChannelPacer pacer, RetryPolicy retryPolicy, DeliveryObserver observer,
			Clock clock, Scheduler scheduler) {
		this.client = Objects.requireNonNull(client, "client must not be null");
		this.pacer = pacer;
		this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy must not be null");
		this.observer = Objects.requireNonNull(observer, "observer must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
	}

	/**
	 * Return the client.
	 * @return the Slack client
	 */
	public SlackClient client() {
		return this.client;
	}

	/**
	 * Return the pacer.
	 * @return the pacer, or {@code null}
	 */
	public ChannelPacer pacer() {
		return this.pacer;
	}

	/**
	 * Return the retry policy.
	 * @return the policy
	 */
	public RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

	/**
	 * The retry of a post or an edit.
	 * @param what what is retried, for the log
	 * @param retrying told of each retry
	 * @param start when the delivery started, from {@link #now()}
	 * @param deadline how long the delivery may take in all, or {@code null}
	 * @return the retry
	 */
	public Retry retry(String what, Consumer<SlackApiException> retrying, Instant start, Duration deadline) {
		return this.retryPolicy.retry(what, retrying, start, deadline, this.pacer != null, this.clock,
				this.scheduler);
	}

	/**
	 * Return the current time on the clock deliveries are timed on.
	 * @return the time
	 */
	public Instant now() {
		return this.clock.instant();
	}

	/**
	 * Return how long it has been since a time from {@link #now()}.
	 * @param start the time
	 * @return the time since
	 */
	public Duration since(Instant start) {
		return Duration.between(start, this.clock.instant());
	}

	/**
	 * Post a message in its channel's turn, telling the pacer when Slack rate-limited it. The turn is given back
	 * before the answer travels on, so that a retry of a refused message already finds its channel held.
	 * @param channel the channel, by ID or name
	 * @param retry whether the message was refused before and goes ahead of those waiting
	 * @param message the message, rendered when its turn comes
	 * @return Slack's answer
	 */
	public Mono<SlackResponse> paced(String channel, boolean retry, Supplier<ChatPostMessage> message) {
		Supplier<Mono<SlackResponse>> call = () -> this.client.postMessage(message.get());
		if (this.pacer == null) {
			return timed("chat.postMessage", call);
		}
		return this.pacer.acquire(channel, retry).flatMap((permit) -> {
			AtomicReference<Duration> limitedFor = new AtomicReference<>();
			return timed("chat.postMessage", call)
				.doOnNext((answer) -> this.pacer.learnChannelId(channel, answer.channel()))
				.doOnError(SlackApiException.class, (ex) -> limitedFor.set(this.retryPolicy.rateLimitedFor(ex)))
				.doOnTerminate(() -> permit.release(limitedFor.get()))
				.doOnCancel(() -> permit.release(null));
		}).doOnDiscard(ChannelPacer.Permit.class, (permit) -> permit.release(null));
	}

	/**
	 * Post a message that tells no single transition, paced and retried like the others.
	 * @param message the message
	 * @param what what it tells, for the log
	 * @return Slack's answer
	 */
	public Mono<SlackResponse> post(ChatPostMessage message, String what) {
		AtomicInteger attempts = new AtomicInteger();
		return Mono.defer(() -> paced(message.channel(), attempts.getAndIncrement() > 0, () -> message))
			.retryWhen(retry(what, (ex) -> {
			}, now(), null));
	}

	/**
	 * Edit a message once.
	 * @param update the new content
	 * @return Slack's answer
	 */
	public Mono<SlackResponse> update(ChatUpdate update) {
		return timed("chat.update", () -> this.client.update(update));
	}

	/**
	 * Edit a message, retried like a post.
	 * @param update the new content
	 * @param what what it tells, for the log
	 * @return Slack's answer
	 */
	public Mono<SlackResponse> update(ChatUpdate update, String what) {
		return update(update).retryWhen(retry(what, (ex) -> {
		}, now(), null));
	}

	private <T> Mono<T> timed(String method, Supplier<Mono<T>> call) {
		return Mono.defer(() -> {
			Instant start = now();
			return call.get().doOnEach((signal) -> {
				if (signal.isOnNext() || signal.isOnError()) {
					String outcome = signal.isOnNext() ? "ok"
							: (signal.getThrowable() instanceof SlackApiException ex) ? ex.getError() : "client_error";
					this.observer.requested(method, since(start), outcome);
				}
			});
		});
	}

}
