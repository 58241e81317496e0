package dev.fluxgate.slack;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * Posts each circuit-breaker transition to Slack on the thread that caused it, returning once Slack answered or the
 * deadline passed.
 * <p>
 * Transitions of one breaker are posted one at a time, in order. On a non-blocking thread, such as a Reactor Netty
 * event loop, it does not wait: use {@link AsyncSlackListener} there.
 */
public class SlackListener extends AbstractSlackListener {

	private static final Logger logger = LoggerFactory.getLogger(SlackListener.class);

	private final Duration deadline;

	private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

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
	protected void accept(TransitionSnapshot snapshot) {
		if (Schedulers.isInNonBlockingThread()) {
			if (this.warnedNonBlocking.compareAndSet(false, true)) {
				logger.warn("A circuit breaker changed state on non-blocking thread {}; the sync Slack listener does "
						+ "not wait there. Set fluxgate.slack.mode=async.", Thread.currentThread().getName());
			}
			deliver(snapshot, this.deadline).subscribe();
			return;
		}
		ReentrantLock lock = this.locks.computeIfAbsent(snapshot.circuitBreaker(), (name) -> new ReentrantLock());
		lock.lock();
		try {
			deliver(snapshot, this.deadline).block();
		}
		finally {
			lock.unlock();
		}
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
