package dev.fluxgate.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DropCounter;
import dev.fluxgate.slack.delivery.Lanes;
import dev.fluxgate.slack.delivery.Lanes.Lane;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.storm.ChannelBacklog;
import dev.fluxgate.slack.storm.Coalescing;
import dev.fluxgate.slack.storm.DigestStore;
import dev.fluxgate.slack.storm.StormDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Posts each circuit-breaker transition to Slack without ever blocking the thread that caused it.
 * <p>
 * The caller only enqueues a snapshot. Each breaker has its own lane, so its messages are delivered strictly in order
 * and a reply waits for its root's {@code ts}, while different breakers proceed independently. Every transition is told
 * in a message of its own while Slack accepts them. Only once Slack has rate-limited a channel, and while the
 * {@link ChannelPacer} holds or paces it: a breaker with more than {@code coalescingAfter} messages waiting in its
 * open thread has them told in one reply, the root and the end of a cycle always getting their own; and breakers that
 * trip while the channel owes more than it can send in the digest backlog time are told together in a storm digest.
 * At most {@code queueCapacity} messages wait; more are dropped, counted and logged.
 */
public class AsyncSlackListener extends AbstractSlackListener implements AutoCloseable {

	/** How many messages may wait by default. */
	public static final int DEFAULT_QUEUE_CAPACITY = 1000;

	/** How many of a breaker's messages may wait in a limited channel by default before they are coalesced. */
	public static final int DEFAULT_COALESCING_AFTER = 4;

	/** How long {@link #close()} waits for pending messages by default. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(AsyncSlackListener.class);

	private final int queueCapacity;

	private final Duration closeTimeout;

	private final Scheduler scheduler;

	private final boolean ownScheduler;

	private final CompletableFuture<Void> drained = new CompletableFuture<>();

	private final Lanes lanes = new Lanes();

	private final AtomicInteger pending = new AtomicInteger();

	private final DropCounter drops;

	private final Coalescing coalescing;

	private final StormDigest digest;

	private final ChannelBacklog backlog;

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
		this.ownScheduler = builder.scheduler == null;
		this.scheduler = this.ownScheduler ? Schedulers.newSingle("fluxgate-slack", true) : builder.scheduler;
		this.drops = new DropCounter(observer(), builder.queueCapacity, builder.clock());
		this.closeTimeout = builder.closeTimeout;
		if (builder.coalescingAfter < 1) {
			throw new IllegalArgumentException("coalescingAfter must be at least 1, was " + builder.coalescingAfter);
		}
		this.backlog = new ChannelBacklog(pacer());
		this.digest = (pacer() != null && builder.digestBacklog != null)
				? new StormDigest(this.backlog, Math.max(1, pacer().messagesIn(builder.digestBacklog)),
						builder.digestInterval, this.scheduler, this.lanes::has, poster(), renderer().digests(),
						tracker(), observer(),
						(builder.digestStore != null) ? new StormDigest.Fleet(builder.digestStore, builder.instanceId(),
										builder.channel, this::getTemplates)
								: null)
				: null;
		inFlight().add(this.lanes::has);
		if (this.digest != null) {
			inFlight().add(this.digest::holds);
		}
		this.coalescing = new Coalescing(builder.coalescing, builder.coalescingAfter, this.backlog, this.digest,
				(name) -> tracker().open(name).hasElement());
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
		return "async";
	}

	@Override
	protected void accept(TransitionSnapshot snapshot) {
		if (this.closed) {
			this.drops.drop(snapshot);
			return;
		}
		String channel = channelFor(snapshot.circuitBreaker());
		if (this.digest != null && this.digest.absorb(snapshot, channel, getTemplates())) {
			return;
		}
		this.backlog.track(snapshot, channel);
		if (this.pending.incrementAndGet() > this.queueCapacity) {
			this.pending.decrementAndGet();
			this.drops.drop(snapshot);
			return;
		}
		this.backlog.queued(channel, 1);
		Lane lane = this.lanes.offer(snapshot, channel);
		if (lane.activate()) {
			this.scheduler.schedule(() -> drain(lane));
		}
	}

	private void drain(Lane lane) {
		// in the lane before its head is taken, so that a close giving up never misses a delivery just starting
		Disposable.Swap inFlight = Disposables.swap();
		lane.inFlight(inFlight);
		TransitionSnapshot head = this.lanes.next(lane);
		if (head == null) {
			return;
		}
		AtomicReference<List<TransitionSnapshot>> taken = new AtomicReference<>(List.of(head));
		inFlight.update(this.coalescing.take(head, lane.waiting(), lane.channel()).map((batch) -> {
			taken.set(batch);
			return batch;
		}).flatMap((batch) -> deliver(batch, null)).onErrorResume((ex) -> {
			logger.error("Could not deliver {} of circuit breaker '{}'", head.transition(), head.circuitBreaker(), ex);
			return Mono.empty();
		}).doFinally((signal) -> {
			List<TransitionSnapshot> batch = taken.get();
			if (this.pending.addAndGet(-batch.size()) == 0 && this.closed) {
				this.drained.complete(null);
			}
			this.backlog.done(lane.channel(), batch.size());
			if (signal == SignalType.CANCEL) {
				batch.forEach(this.drops::drop);
			}
			else if (this.closed) {
				// close() may be blocking a thread of the listener's scheduler: the rest goes on elsewhere
				Schedulers.boundedElastic().schedule(() -> drain(lane));
			}
			else if (!this.scheduler.isDisposed()) {
				this.scheduler.schedule(() -> drain(lane));
			}
		}).subscribe());
	}

	/**
	 * A channel is also busy while it is in a storm, in the fleet's view when there is a fleet.
	 */
	@Override
	protected boolean isBusy(String channel) {
		return super.isBusy(channel) || (this.digest != null && this.digest.inStorm(channel));
	}

	@Override
	protected void released(String circuitBreaker) {
		this.backlog.release(circuitBreaker);
		if (this.digest != null) {
			this.digest.release(circuitBreaker);
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
		return this.drops.total();
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
		Instant deadline = poster().now().plus(this.closeTimeout);
		if (this.digest != null) {
			this.digest.close(this.closeTimeout);
		}
		Duration remaining = Duration.between(poster().now(), deadline);
		if (this.pending.get() > 0 && !remaining.isNegative() && !remaining.isZero()) {
			try {
				this.drained.get(remaining.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				logger.debug("Pending Slack messages were not delivered within the close timeout");
			}
		}
		if (this.pending.get() > 0) {
			long before = this.drops.total();
			this.lanes.giveUp((left) -> {
				this.pending.decrementAndGet();
				this.drops.drop(left);
			});
			logger.warn("Gave up {} Slack message(s) still pending after the close timeout of {} "
					+ "(fluxgate.slack.shutdown-timeout)", this.drops.total() - before, this.closeTimeout);
		}
		if (this.ownScheduler) {
			this.scheduler.dispose();
		}
		super.close();
	}

	int laneCount() {
		return this.lanes.size();
	}

	/**
	 * Builds an {@link AsyncSlackListener}.
	 */
	public static class Builder extends AbstractSlackListener.Builder<Builder> {

		private int queueCapacity = DEFAULT_QUEUE_CAPACITY;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private boolean coalescing = true;

		private int coalescingAfter = DEFAULT_COALESCING_AFTER;

		private Duration digestBacklog = Duration.ofSeconds(60);

		private Duration digestInterval = Duration.ofSeconds(10);

		private DigestStore digestStore;

		protected Builder() {
		}

		/**
		 * Set where the replicas of a service keep one storm digest per channel, so that a storm is told once for the
		 * fleet rather than once per replica. Each replica appends its breakers' transitions; the holder of a
		 * channel's lease flushes it at each {@link #digest(Duration, Duration) interval}, and this listener's
		 * {@link #fleet(String, Duration) instance id} names it there.
		 * @param digestStore the shared store, or {@code null} (the default) for a digest of this listener's own
		 * @return this builder
		 */
		public Builder digestStore(DigestStore digestStore) {
			this.digestStore = digestStore;
			return this;
		}

		/**
		 * Set when breakers that trip are gathered into a storm digest instead of a thread each: when their channel,
		 * rate-limited by Slack, owes more than it can send in the given time at the sustained rate. Only with a
		 * {@link #pacer(ChannelPacer) pacer}; a channel Slack never refused has no backlog in this sense.
		 * @param backlog the backlog time, 60 seconds by default, or {@code null} for no digest
		 * @param interval how often a channel's digest is posted and updated, 10 seconds by default
		 * @return this builder
		 */
		public Builder digest(Duration backlog, Duration interval) {
			this.digestBacklog = backlog;
			this.digestInterval = Objects.requireNonNull(interval, "interval must not be null");
			return this;
		}

		/**
		 * Set whether a breaker's transitions that wait behind each other in a channel Slack has rate-limited are told
		 * in one reply.
		 * @param coalescing whether to coalesce, {@code true} by default
		 * @return this builder
		 */
		public Builder coalescing(boolean coalescing) {
			this.coalescing = coalescing;
			return this;
		}

		/**
		 * Set how many of a breaker's messages may wait in a rate-limited channel before they are told in one reply.
		 * @param after the number of messages, {@value AsyncSlackListener#DEFAULT_COALESCING_AFTER} by default
		 * @return this builder
		 */
		public Builder coalescingAfter(int after) {
			this.coalescingAfter = after;
			return this;
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
