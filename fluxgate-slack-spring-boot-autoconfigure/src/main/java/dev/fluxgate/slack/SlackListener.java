package dev.fluxgate.slack;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Posts each circuit-breaker transition to Slack on the thread that caused it, returning once Slack answered or the
 * deadline passed.
 * <p>
 * Transitions of one breaker are posted one at a time, in order. The caller waits for its own message only: the edit
 * of the thread's root goes on in the background, and the breaker's next message in that thread waits for it, so
 * that the root tells the cycle's states in order. A new cycle's root does not wait for the old root's last edit. On a
 * non-blocking thread, such as a Reactor Netty event loop, it does not wait: use {@link AsyncSlackListener} there.
 */
public class SlackListener extends AbstractSlackListener {

	private static final Logger logger = LoggerFactory.getLogger(SlackListener.class);

	private final Duration deadline;

	private final ConcurrentMap<String, BreakerLock> locks = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, CompletableFuture<Void>> rootEdits = new ConcurrentHashMap<>();

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
		String circuitBreaker = snapshot.circuitBreaker();
		BreakerLock lock = this.locks.compute(circuitBreaker, (name, existing) -> {
			BreakerLock target = (existing != null) ? existing : new BreakerLock();
			target.users++;
			return target;
		});
		lock.lock();
		try {
			awaitRootEdit(snapshot.circuitBreaker());
			Mono<Void> rootEdit = deliverMessage(List.of(snapshot), this.deadline).block();
			if (rootEdit != null) {
				CompletableFuture<Void> edit = rootEdit.toFuture();
				this.rootEdits.put(snapshot.circuitBreaker(), edit);
				edit.whenComplete((result, ex) -> this.rootEdits.remove(snapshot.circuitBreaker(), edit));
			}
		}
		finally {
			lock.unlock();
			this.locks.computeIfPresent(circuitBreaker, (name, current) -> (--current.users == 0) ? null : current);
		}
	}

	/**
	 * Return how many breakers hold or wait for their lock.
	 * @return the number of locks
	 */
	int lockCount() {
		return this.locks.size();
	}

	/**
	 * The lock that keeps one breaker's messages in order, with how many callers use it, so that it is dropped when
	 * the last one is done. {@code users} changes only inside the map's atomic compute.
	 */
	private static final class BreakerLock extends ReentrantLock {

		private int users;

	}

	private void awaitRootEdit(String circuitBreaker) {
		CompletableFuture<Void> edit = this.rootEdits.get(circuitBreaker);
		if (edit != null && getThreadStore().find(circuitBreaker).isPresent()) {
			try {
				edit.get(this.deadline.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				logger.debug("Posting the next message of '{}' without waiting longer for its root's edit: {}",
						circuitBreaker, ex.toString());
			}
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
