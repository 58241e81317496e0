package dev.fluxgate.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Posts each circuit-breaker transition to Slack without ever blocking the thread that caused it.
 * <p>
 * The caller only enqueues a snapshot. Each breaker has its own lane, so its messages are delivered strictly in order
 * and a reply waits for its root's {@code ts}, while different breakers proceed independently. When a breaker's
 * transitions come faster than Slack takes them, those waiting behind each other in its open thread are told in one
 * reply; the root and the end of a cycle always get their own. With a {@link ChannelPacer}, breakers that trip while
 * their channel is backed up beyond the digest backlog are told together in a storm digest. At most
 * {@code queueCapacity} messages wait; more are dropped, counted and logged.
 */
public class AsyncSlackListener extends AbstractSlackListener implements AutoCloseable {

	/** How many messages may wait by default. */
	public static final int DEFAULT_QUEUE_CAPACITY = 1000;

	/** How long {@link #close()} waits for pending messages by default. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(AsyncSlackListener.class);

	private static final int COALESCE_BACKLOG = 3;

	private static final long DROP_REPORT_INTERVAL = Duration.ofSeconds(10).toNanos();

	private final int queueCapacity;

	private final Duration closeTimeout;

	private final Scheduler scheduler = Schedulers.newSingle("fluxgate-slack", true);

	private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicLong droppedTotal = new AtomicLong();

	private final AtomicLong droppedReported = new AtomicLong();

	private final AtomicLong lastDropReport = new AtomicLong(System.nanoTime() - DROP_REPORT_INTERVAL);

	private final boolean coalescing;

	private final long digestThreshold;

	private final ConcurrentMap<String, AtomicInteger> channelBacklog = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, AtomicInteger> channelCycles = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ChannelDigest> digests = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ChannelDigest> digestedBreakers = new ConcurrentHashMap<>();

	private final Disposable digestFlusher;

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
		this.coalescing = builder.coalescing;
		this.digestThreshold = (pacer() != null && builder.digestBacklog != null)
				? Math.max(1, pacer().messagesIn(builder.digestBacklog)) : 0;
		this.digestFlusher = (this.digestThreshold > 0) ? Flux.interval(builder.digestInterval, this.scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> flushDigests())
			.subscribe() : null;
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
		if (this.digestThreshold > 0 && digested(snapshot)) {
			return;
		}
		if (this.pending.incrementAndGet() > this.queueCapacity) {
			this.pending.decrementAndGet();
			drop(snapshot);
			return;
		}
		backlog(channelFor(snapshot.circuitBreaker())).incrementAndGet();
		Lane lane = this.lanes.computeIfAbsent(snapshot.circuitBreaker(), (name) -> new Lane());
		lane.queue.offer(snapshot);
		if (lane.active.compareAndSet(false, true)) {
			this.scheduler.schedule(() -> drain(lane));
		}
	}

	private void drain(Lane lane) {
		TransitionSnapshot first = lane.queue.poll();
		while (first == null) {
			lane.active.set(false);
			if (lane.queue.isEmpty() || !lane.active.compareAndSet(false, true)) {
				return;
			}
			first = lane.queue.poll();
		}
		List<TransitionSnapshot> batch = batch(first, lane.queue);
		lane.inFlight = deliver(batch, null).onErrorResume((ex) -> {
			logger.error("Could not deliver {} of circuit breaker '{}'", batch.get(0).transition(),
					batch.get(0).circuitBreaker(), ex);
			return Mono.empty();
		}).doFinally((signal) -> {
			this.pending.addAndGet(-batch.size());
			backlog(channelFor(batch.get(0).circuitBreaker())).addAndGet(-batch.size());
			if (signal == SignalType.CANCEL) {
				batch.forEach(this::drop);
			}
			else if (!this.scheduler.isDisposed()) {
				this.scheduler.schedule(() -> drain(lane));
			}
		}).subscribe();
	}

	private AtomicInteger backlog(String channel) {
		return this.channelBacklog.computeIfAbsent(channel, (id) -> new AtomicInteger());
	}

	/**
	 * Tell a transition in its channel's storm digest instead of a message of its own: when its breaker is already in
	 * a digest, or trips while the channel's backlog is longer than it can send in the digest backlog time.
	 */
	private boolean digested(TransitionSnapshot snapshot) {
		String name = snapshot.circuitBreaker();
		ChannelDigest digest = this.digestedBreakers.get(name);
		if (digest == null) {
			String channel = channelFor(name);
			if (!ThreadRules.trips(snapshot.transition()) || load(channel) < this.digestThreshold || getThreadStore().find(name).isPresent()) {
				countCycle(channel, snapshot);
				return false;
			}
			digest = this.digests.computeIfAbsent(channel, ChannelDigest::new);
			this.digestedBreakers.put(name, digest);
			digest.members.incrementAndGet();
			digest.storm = true;
		}
		if (ThreadRules.endsCycle(snapshot.transition().to())) {
			this.digestedBreakers.remove(name);
			digest.members.decrementAndGet();
		}
		digest.record(snapshot);
		observer().digested(snapshot);
		return true;
	}

	/**
	 * Count the failure cycles with a thread of their own in progress on a channel: each still owes at least the
	 * message that ends it.
	 */
	private void countCycle(String channel, TransitionSnapshot snapshot) {
		if (ThreadRules.trips(snapshot.transition())) {
			cycles(channel).incrementAndGet();
		}
		else if (ThreadRules.endsCycle(snapshot.transition().to())) {
			cycles(channel).updateAndGet((count) -> Math.max(0, count - 1));
		}
	}

	private AtomicInteger cycles(String channel) {
		return this.channelCycles.computeIfAbsent(channel, (id) -> new AtomicInteger());
	}

	/**
	 * Return the messages a channel owes: those waiting, plus one to end each cycle in progress.
	 */
	private int load(String channel) {
		return backlog(channel).get() + cycles(channel).get();
	}

	private boolean inStorm(String channel) {
		if (this.digestThreshold == 0) {
			return false;
		}
		int backlog = load(channel);
		ChannelDigest digest = this.digests.get(channel);
		if (digest == null || backlog >= this.digestThreshold) {
			return backlog >= this.digestThreshold;
		}
		if (backlog(channel).get() == 0 && digest.members.get() == 0) {
			digest.storm = false;
		}
		return digest.storm;
	}

	private Mono<Void> flushDigests() {
		return Flux.fromIterable(this.digests.values()).concatMap(ChannelDigest::flush).then();
	}

	/**
	 * Take the transitions to tell in one message: the first alone, unless its breaker's thread is open and more of
	 * its transitions wait behind it, which are then coalesced up to, not including, the one that ends the cycle.
	 * During a storm, from the channel's first digested breaker until its backlog is drained, the end of the cycle is
	 * coalesced too, so that each breaker with a thread of its own needs one more message at most.
	 */
	private List<TransitionSnapshot> batch(TransitionSnapshot first, Queue<TransitionSnapshot> queue) {
		boolean storm = inStorm(channelFor(first.circuitBreaker()));
		if (!this.coalescing || queue.size() < (storm ? 1 : COALESCE_BACKLOG) || ThreadRules.endsCycle(first.transition().to())
				|| getThreadStore().find(first.circuitBreaker()).isEmpty()) {
			return List.of(first);
		}
		List<TransitionSnapshot> batch = new ArrayList<>();
		batch.add(first);
		TransitionSnapshot next;
		while ((next = queue.peek()) != null && (storm || !ThreadRules.endsCycle(next.transition().to()))) {
			batch.add(queue.poll());
			if (ThreadRules.endsCycle(next.transition().to())) {
				break;
			}
		}
		return batch;
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
		long deadline = System.nanoTime() + this.closeTimeout.toNanos();
		if (this.digestFlusher != null) {
			this.digestFlusher.dispose();
			try {
				flushDigests().block(this.closeTimeout);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not post the last storm digest: {}", ex.getMessage());
			}
		}
		try {
			while (this.pending.get() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.pending.get() > 0) {
			long before = this.droppedTotal.get();
			for (Lane lane : this.lanes.values()) {
				TransitionSnapshot left;
				while ((left = lane.queue.poll()) != null) {
					this.pending.decrementAndGet();
					drop(left);
				}
				Disposable inFlight = lane.inFlight;
				if (inFlight != null) {
					inFlight.dispose();
				}
			}
			logger.warn("Gave up {} Slack message(s) still pending after the close timeout of {} "
					+ "(fluxgate.slack.shutdown-timeout)", this.droppedTotal.get() - before, this.closeTimeout);
		}
		this.scheduler.dispose();
	}

	/**
	 * The storm digest of one channel: breakers that tripped while the channel was backed up, told together.
	 */
	private final class ChannelDigest {

		private final String channel;

		private final Map<String, TransitionSnapshot> opened = new LinkedHashMap<>();

		private final Map<String, Root> roots = new HashMap<>();

		private final Set<Root> changed = new LinkedHashSet<>();

		private final Map<Root, Map<String, CircuitBreaker.State>> recovered = new LinkedHashMap<>();

		private final Map<String, CircuitBreaker.State> recoveredUnposted = new LinkedHashMap<>();

		private final AtomicInteger members = new AtomicInteger();

		private volatile boolean storm;

		ChannelDigest(String channel) {
			this.channel = channel;
		}

		synchronized void record(TransitionSnapshot snapshot) {
			String name = snapshot.circuitBreaker();
			CircuitBreaker.State to = snapshot.transition().to();
			boolean ending = ThreadRules.endsCycle(to);
			Root root = this.roots.get(name);
			if (root == null) {
				if (ending) {
					this.opened.remove(name);
					this.recoveredUnposted.put(name, to);
				}
				else {
					this.opened.put(name, snapshot);
				}
				return;
			}
			synchronized (root.states) {
				root.states.put(name, to);
			}
			this.changed.add(root);
			if (ending) {
				this.roots.remove(name);
				this.recovered.computeIfAbsent(root, (key) -> new LinkedHashMap<>()).put(name, to);
				getThreadStore().remove(name);
			}
			else {
				getThreadStore().find(name).ifPresent((thread) -> getThreadStore().save(thread.movedTo(snapshot)));
			}
		}

		Mono<Void> flush() {
			Map<String, TransitionSnapshot> newlyOpened;
			List<Root> edited;
			Map<Root, Map<String, CircuitBreaker.State>> recoveries;
			Map<String, CircuitBreaker.State> recoveredEarly;
			synchronized (this) {
				newlyOpened = new LinkedHashMap<>(this.opened);
				edited = new ArrayList<>(this.changed);
				recoveries = new LinkedHashMap<>(this.recovered);
				recoveredEarly = new LinkedHashMap<>(this.recoveredUnposted);
				this.opened.clear();
				this.changed.clear();
				this.recovered.clear();
				this.recoveredUnposted.clear();
			}
			Mono<Void> flush = Mono.empty();
			if (!newlyOpened.isEmpty()) {
				flush = flush.then(postRoot(newlyOpened));
			}
			for (Root root : edited) {
				flush = flush.then(Mono.defer(() -> update(renderer().renderDigestUpdate(root.channel, root.ts,
						root.title, "#FF4C4C", root.statesCopy()))).then());
			}
			for (Map.Entry<Root, Map<String, CircuitBreaker.State>> entry : recoveries.entrySet()) {
				flush = flush.then(post(renderer().renderDigest(entry.getKey().channel,
						"✅ " + entry.getValue().size() + " circuit breakers recovered", "#36a64f", entry.getValue(),
						entry.getKey().ts)).then());
			}
			if (!recoveredEarly.isEmpty()) {
				flush = flush.then(post(renderer().renderDigest(this.channel,
						"✅ " + recoveredEarly.size() + " circuit breakers recovered", "#36a64f", recoveredEarly, null))
					.then());
			}
			return flush.onErrorResume((ex) -> {
				logger.warn("Could not post the storm digest of channel {}: {}", this.channel, ex.getMessage());
				return Mono.empty();
			});
		}

		private Mono<Void> postRoot(Map<String, TransitionSnapshot> newlyOpened) {
			Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
			newlyOpened.forEach((name, snapshot) -> states.put(name, snapshot.transition().to()));
			String title = "🚨 " + states.size() + " more circuit breakers opened";
			return post(renderer().renderDigest(this.channel, title, "#FF4C4C", states, null)).doOnNext((answer) -> {
				String answerChannel = (answer.channel() != null) ? answer.channel() : this.channel;
				Root root = new Root(answerChannel, answer.ts(), title, states);
				synchronized (this) {
					newlyOpened.forEach((name, snapshot) -> {
						if (AsyncSlackListener.this.digestedBreakers.get(name) == this) {
							this.roots.put(name, root);
							getThreadStore().save(new SlackThread(name, answerChannel, answer.ts(),
									root.states.get(name), snapshot.time(), snapshot.time(), 1, null));
						}
					});
				}
			}).then();
		}

	}

	/**
	 * A posted storm digest, whose root lists its breakers' states.
	 */
	private static final class Root {

		private final String channel;

		private final String ts;

		private final String title;

		private final Map<String, CircuitBreaker.State> states;

		Root(String channel, String ts, String title, Map<String, CircuitBreaker.State> states) {
			this.channel = channel;
			this.ts = ts;
			this.title = title;
			this.states = new LinkedHashMap<>(states);
		}

		Map<String, CircuitBreaker.State> statesCopy() {
			synchronized (this.states) {
				return new LinkedHashMap<>(this.states);
			}
		}

	}

	private static final class Lane {

		private final Queue<TransitionSnapshot> queue = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean active = new AtomicBoolean();

		private volatile Disposable inFlight;

	}

	/**
	 * Builds an {@link AsyncSlackListener}.
	 */
	public static class Builder extends AbstractSlackListener.Builder<Builder> {

		private int queueCapacity = DEFAULT_QUEUE_CAPACITY;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private boolean coalescing = true;

		private Duration digestBacklog = Duration.ofSeconds(60);

		private Duration digestInterval = Duration.ofSeconds(10);

		protected Builder() {
		}

		/**
		 * Set when breakers that trip are gathered into a storm digest instead of a thread each: when their channel's
		 * backlog is longer than it can send in the given time at the paced rate. Only with a
		 * {@link #pacer(ChannelPacer) pacer}.
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
		 * Set whether a breaker's transitions that wait behind each other are told in one reply.
		 * @param coalescing whether to coalesce, {@code true} by default
		 * @return this builder
		 */
		public Builder coalescing(boolean coalescing) {
			this.coalescing = coalescing;
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
