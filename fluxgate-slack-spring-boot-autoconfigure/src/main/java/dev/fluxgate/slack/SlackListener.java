package dev.fluxgate.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.fluxgate.slack.event.TransitionSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Posts each circuit-breaker transition to Slack on the thread that caused it, returning once Slack answered or the
 * deadline passed.
 * <p>
 * Transitions of one breaker are posted one at a time, in order: each waits for the breaker's previous message, for
 * at most the deadline. The caller waits for its own message only, and for at most the {@linkplain #getDeadline()
 * deadline} in all, whatever the thread store or other replicas do; a message not delivered by then goes on in the
 * background, with a deadline of its own for Slack's answer, and is never dropped for the caller's sake. The edit of
 * the thread's root always goes on in the background, and the breaker's next message in that thread waits for it, so
 * that the root tells the cycle's states in order; a new cycle's root does not wait for the old root's last edit. On a
 * non-blocking thread, such as a Reactor Netty event loop, it does not wait at all: the message is chained after the
 * breaker's previous one and posted in the background. Use {@link AsyncSlackListener} there.
 */
public class SlackListener extends AbstractSlackListener {

	private static final Logger logger = LoggerFactory.getLogger(SlackListener.class);

	private final Duration deadline;

	private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();

	private final AtomicBoolean warnedNonBlocking = new AtomicBoolean();

	/**
	 * Create a listener posting to Slack's Web API with the default settings.
	 * @param channel the channel ID
	 * @param token the bot token
	 */
	public SlackListener(String channel, String token) {
		this(builder().channel(channel).token(token));
	}

	protected SlackListener(Builder builder) {
		super(builder);
		inFlight().add(this.pending::containsKey);
		this.deadline = (builder.deadline != null) ? builder.deadline : builder.timeout();
		if (this.deadline.isNegative() || this.deadline.isZero()) {
			throw new IllegalArgumentException("deadline must be positive, was " + this.deadline);
		}
	}

	/**
	 * Return a builder.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public String getMode() {
		return "sync";
	}

	@Override
	protected void accept(TransitionSnapshot snapshot) {
		String circuitBreaker = snapshot.circuitBreaker();
		Pending mine = new Pending(new CompletableFuture<>(), new CompletableFuture<>());
		Pending[] previous = new Pending[1];
		this.pending.compute(circuitBreaker, (name, current) -> {
			previous[0] = current;
			return mine;
		});
		mine.done().whenComplete((result, ex) -> this.pending.remove(circuitBreaker, mine));
		if (Schedulers.isInNonBlockingThread()) {
			if (this.warnedNonBlocking.compareAndSet(false, true)) {
				logger.warn("A circuit breaker changed state on non-blocking thread {}; the sync Slack listener does "
						+ "not wait there. Set fluxgate.slack.mode=async.", Thread.currentThread().getName());
			}
			ready(previous[0], circuitBreaker)
				.thenCompose((ignored) -> deliverMessage(List.of(snapshot), this.deadline).toFuture())
				.whenComplete((rootEdit, ex) -> finish(mine, rootEdit));
			return;
		}
		Instant start = poster().now();
		CompletableFuture<Mono<Void>> message = ready(previous[0], circuitBreaker)
			.completeOnTimeout(null, this.deadline.toNanos(), TimeUnit.NANOSECONDS)
			.thenCompose((ignored) -> deliverMessage(List.of(snapshot), postDeadline(start)).toFuture());
		message.whenComplete((rootEdit, ex) -> finish(mine, rootEdit));
		awaitWithin(message, this.deadline.minus(poster().since(start)).toNanos(), circuitBreaker);
	}

	/**
	 * How long Slack may take to answer: what is left of the caller's deadline, less a margin so that a post given up
	 * is told before the caller goes on; once the caller has gone on, the whole deadline again.
	 */
	private Duration postDeadline(Instant start) {
		Duration margin = Duration.ofMillis(Math.min(50, this.deadline.toMillis() / 10));
		Duration left = this.deadline.minus(poster().since(start)).minus(margin);
		return (left.isNegative() || left.isZero()) ? this.deadline : left;
	}

	/**
	 * Wait for the message at most what is left of the deadline; past it the caller goes on and the message is still
	 * delivered in the background.
	 */
	private static void awaitWithin(CompletableFuture<?> message, long leftNanos, String circuitBreaker) {
		try {
			message.get(Math.max(0, leftNanos), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.debug("The message of '{}' failed", circuitBreaker, ex);
		}
		catch (TimeoutException ex) {
			logger.debug("The message of '{}' was not delivered within the deadline; it goes on in the background",
					circuitBreaker);
		}
	}

	/**
	 * When the breaker's previous message no longer holds the next one back: once it was posted, and, if the next
	 * one goes into the same thread, once the root's edit it made is done.
	 */
	private CompletableFuture<Void> ready(Pending previous, String circuitBreaker) {
		if (previous == null) {
			return CompletableFuture.completedFuture(null);
		}
		return previous.posted()
			.handle((result, ex) -> null)
			.thenCompose((ignored) -> tracker().open(circuitBreaker).hasElement().onErrorReturn(true).toFuture())
			.thenCompose((threadOpen) -> threadOpen ? previous.done().handle((result, ex) -> null)
					: CompletableFuture.completedFuture(null));
	}

	private static void finish(Pending mine, Mono<Void> rootEdit) {
		mine.posted().complete(null);
		if (rootEdit == null) {
			mine.done().complete(null);
		}
		else {
			rootEdit.toFuture().whenComplete((result, ex) -> mine.done().complete(null));
		}
	}

	/**
	 * Wait for the messages still under way, those whose callers stopped waiting at their deadline included, at most
	 * the deadline, then stop what the listener does in the background.
	 */
	@Override
	public void close() {
		CompletableFuture<?>[] under = this.pending.values().stream().map(Pending::done).toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(under).get(this.deadline.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Closed with {} Slack message(s) still under way after the deadline of {}",
					this.pending.size(), this.deadline);
		}
		super.close();
	}

	/**
	 * Return how many breakers have a message, or a root's edit, still under way.
	 * @return the number of breakers
	 */
	int pendingCount() {
		return this.pending.size();
	}

	/**
	 * A breaker's latest message: when it was posted, and when the root's edit it made is done.
	 */
	private record Pending(CompletableFuture<Void> posted, CompletableFuture<Void> done) {
	}

	/**
	 * Return how long posting one transition may take in all, retries included.
	 * @return the deadline
	 */
	public Duration getDeadline() {
		return this.deadline;
	}

	/**
	 * Builds a {@link SlackListener}.
	 */
	public static class Builder extends AbstractSlackListener.Builder<Builder> {

		private Duration deadline;

		protected Builder() {
		}

		/**
		 * Set how long posting one transition may take in all, retries included.
		 * @param deadline the deadline, the request timeout by default
		 * @return this builder
		 */
		public Builder deadline(Duration deadline) {
			this.deadline = Objects.requireNonNull(deadline, "deadline must not be null");
			return this;
		}

		/**
		 * Build the listener.
		 * @return the listener
		 */
		public SlackListener build() {
			return new SlackListener(this);
		}

	}

}
