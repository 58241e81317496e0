package dev.fluxgate.slack;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Posts each circuit-breaker transition to Slack without ever blocking the thread that caused it.
 * <p>
 * The caller only enqueues a snapshot. Each breaker has its own lane, so its messages are delivered strictly in order
 * and a reply waits for its root's {@code ts}, while different breakers proceed independently. At most
 * {@code queueCapacity} messages wait; more are dropped, counted and logged.
 */
public class AsyncSlackListener extends AbstractSlackListener implements AutoCloseable {

	/** How many messages may wait by default. */
	public static final int DEFAULT_QUEUE_CAPACITY = 1000;

	/** How long {@link #close()} waits for pending messages by default. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(AsyncSlackListener.class);

	private static final long DROP_REPORT_INTERVAL = Duration.ofSeconds(10).toNanos();

	private final int queueCapacity;

	private final Duration closeTimeout;

	private final Scheduler scheduler = Schedulers.newSingle("fluxgate-slack", true);

	private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicLong droppedTotal = new AtomicLong();

	private final AtomicLong droppedReported = new AtomicLong();

	private final AtomicLong lastDropReport = new AtomicLong(System.nanoTime() - DROP_REPORT_INTERVAL);

	private volatile boolean closed;

	/**
	 * Create a listener posting to Slack's Web API with the default settings.
	 * @param channel the channel ID
	 * @param token the bot token
	 */
	public AsyncSlackListener(String channel, String token) {
		this(builder().channel(channel).token(token));
	}

	protected AsyncSlackListener(Builder builder) {
		super(builder);
		if (builder.queueCapacity < 1) {
			throw new IllegalArgumentException("queueCapacity must be at least 1, was " + builder.queueCapacity);
		}
		this.queueCapacity = builder.queueCapacity;
		this.closeTimeout = builder.closeTimeout;
	}

	/**
	 * Return a builder.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	protected void accept(TransitionSnapshot snapshot) {
		if (this.closed) {
			drop(snapshot);
			return;
		}
		if (this.pending.incrementAndGet() > this.queueCapacity) {
			this.pending.decrementAndGet();
			drop(snapshot);
			return;
		}
		Sinks.EmitResult result;
		Sinks.Many<TransitionSnapshot> lane = this.lanes.computeIfAbsent(snapshot.circuitBreaker(), this::openLane).sink;
		while ((result = lane.tryEmitNext(snapshot)) == Sinks.EmitResult.FAIL_NON_SERIALIZED) {
			Thread.onSpinWait();
		}
		if (result.isFailure()) {
			this.pending.decrementAndGet();
			drop(snapshot);
		}
	}

	private Lane openLane(String circuitBreaker) {
		Sinks.Many<TransitionSnapshot> sink = Sinks.many().unicast().onBackpressureBuffer();
		CompletableFuture<Void> done = sink.asFlux()
			.publishOn(this.scheduler)
			.concatMap((snapshot) -> deliver(snapshot, null).onErrorResume((ex) -> {
				logger.error("Could not deliver {} of circuit breaker '{}'", snapshot.transition(), circuitBreaker, ex);
				return Mono.empty();
			}).doFinally((signal) -> {
				this.pending.decrementAndGet();
				if (signal == SignalType.CANCEL) {
					drop(snapshot);
				}
			}), 0)
			.doOnDiscard(TransitionSnapshot.class, (snapshot) -> {
				this.pending.decrementAndGet();
				drop(snapshot);
			})
			.then()
			.toFuture();
		return new Lane(sink, done);
	}

	private void drop(TransitionSnapshot snapshot) {
		long total = this.droppedTotal.incrementAndGet();
		dropped(snapshot);
		long last = this.lastDropReport.get();
		long now = System.nanoTime();
		if (now - last >= DROP_REPORT_INTERVAL && this.lastDropReport.compareAndSet(last, now)) {
			long since = total - this.droppedReported.getAndSet(total);
			logger.warn("Dropped {} Slack message(s) ({} in all): {} messages were already waiting "
					+ "(fluxgate.slack.queue-capacity), or the listener is closed", since, total, this.queueCapacity);
		}
	}

	@Override
	public int getPending() {
		return this.pending.get();
	}

	/**
	 * Return how many messages were dropped since the listener started.
	 * @return the number of dropped messages
	 */
	public long getDropped() {
		return this.droppedTotal.get();
	}

	/**
	 * Stop taking transitions and deliver what is pending, waiting at most the close timeout. What is still pending
	 * then is given up, counted as dropped and logged.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		List<Lane> open = List.copyOf(this.lanes.values());
		open.forEach((lane) -> lane.sink.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1))));
		CompletableFuture<Void> all = CompletableFuture
			.allOf(open.stream().map(Lane::done).toArray(CompletableFuture[]::new));
		try {
			all.get(this.closeTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			long before = this.droppedTotal.get();
			open.forEach((lane) -> lane.done.cancel(true));
			logger.warn("Gave up {} Slack message(s) still pending after the close timeout of {} "
					+ "(fluxgate.slack.shutdown-timeout)", this.droppedTotal.get() - before, this.closeTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Slack delivery ended with an error", ex.getCause());
		}
		finally {
			this.scheduler.dispose();
		}
	}

	private record Lane(Sinks.Many<TransitionSnapshot> sink, CompletableFuture<Void> done) {
	}

	/**
	 * Builds an {@link AsyncSlackListener}.
	 */
	public static class Builder extends AbstractSlackListener.Builder<Builder> {

		private int queueCapacity = DEFAULT_QUEUE_CAPACITY;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		protected Builder() {
		}

		/**
		 * Set how many messages may wait to be delivered; more are dropped and counted.
		 * @param queueCapacity the capacity, 1,000 by default
		 * @return this builder
		 */
		public Builder queueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
			return this;
		}

		/**
		 * Set how long {@link AsyncSlackListener#close()} waits for pending messages.
		 * @param closeTimeout the timeout, 10 seconds by default
		 * @return this builder
		 */
		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout must not be null");
			return this;
		}

		/**
		 * Build the listener.
		 * @return the listener
		 */
		public AsyncSlackListener build() {
			return new AsyncSlackListener(this);
		}

	}

}
