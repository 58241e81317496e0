package dev.fluxgate.slack.storm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackResponse;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.delivery.SlackPoster;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.DigestRenderer;
import dev.fluxgate.slack.message.FleetDigestLine;
import dev.fluxgate.slack.message.Placeholders;
import dev.fluxgate.slack.message.SlackText;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.storm.DigestStore.Entry;
import dev.fluxgate.slack.storm.DigestStore.Ledger;
import dev.fluxgate.slack.storm.DigestStore.Mark;
import dev.fluxgate.slack.storm.DigestStore.Turn;
import dev.fluxgate.slack.storm.DigestStore.Version;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadRules;
import dev.fluxgate.slack.thread.ThreadTracker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One replica's part in the fleet's storm digest: it appends its breakers' transitions to the shared
 * {@link DigestStore}, takes its turn at each channel's lease, and flushes when the turn is its own. The flush posts
 * one root per channel per storm, listing each breaker with the instances it is failing on, a reply naming the
 * breakers that opened since the last flush, the root's edit, and the recoveries of breakers whose last instance
 * recovered. What a post could not tell stays pending for the next flush, whichever replica makes it.
 * <p>
 * When the store fails, the transition goes to this replica's own digest, as without a fleet: said once, counted as a
 * store fallback.
 */
final class FleetDigest {

	private static final Logger logger = LoggerFactory.getLogger(FleetDigest.class);

	/**
	 * How many times a replica takes its turn per interval while its channel is busy, at least: a crashed flusher is
	 * replaced within one interval.
	 */
	private static final int TURNS_PER_INTERVAL = 4;

	/** How often, at least, a replica tells the fleet what it owes a busy channel, and learns what the others owe. */
	private static final Duration LONGEST_TICK = Duration.ofMillis(500);

	/** A replica takes the lease for this many turns; its holder renews it at each. */
	private static final int LEASE_TURNS = 3;

	/** A replica silent for this many intervals no longer counts among a breaker's failing instances. */
	private static final int SILENT_INTERVALS = 3;

	private final DigestStore store;

	private final String instance;

	private final Duration interval;

	private final Duration tick;

	private final SlackPoster poster;

	private final DigestRenderer renderer;

	private final ThreadTracker tracker;

	private final DeliveryObserver observer;

	private final Fallback fallback;

	private final Set<String> channels = ConcurrentHashMap.newKeySet();

	private final Supplier<Templates> templates;

	private final ConcurrentMap<String, String> members = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, AtomicInteger> unwritten = new ConcurrentHashMap<>();

	private final Set<String> storms = ConcurrentHashMap.newKeySet();

	private final ConcurrentMap<String, Integer> owedElsewhere = new ConcurrentHashMap<>();

	private final ToIntFunction<String> owed;

	private final long quietTicks;

	private final Set<String> flushing = ConcurrentHashMap.newKeySet();

	private final Set<String> held = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean failing = new AtomicBoolean();

	private volatile boolean closing;

	private volatile long lastProbe;

	private final Set<Write> outstanding = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean turnsFailing = new AtomicBoolean();

	private final Sinks.Many<Write> writes = Sinks.many().unicast().onBackpressureBuffer();

	private final CompletableFuture<Void> written = new CompletableFuture<>();

	private final Disposable writer;

	private final Disposable turns;

	/**
	 * Create a replica's part in the fleet's digest.
	 * @param settings the store, this replica's instance and the interval
	 * @param scheduler where the turns run
	 * @param poster sends to Slack in each channel's turn
	 * @param renderer renders the digest's messages
	 * @param tracker records the threads of the breakers the digest tells
	 * @param observer told of the store's failures
	 * @param fallback tells a transition in this replica's own digest when the store fails
	 */
	FleetDigest(Settings settings, Scheduler scheduler, SlackPoster poster, DigestRenderer renderer,
			ThreadTracker tracker, DeliveryObserver observer, Fallback fallback) {
		this.store = settings.store();
		this.instance = settings.instance();
		this.interval = settings.interval();
		Duration quarter = this.interval.dividedBy(TURNS_PER_INTERVAL);
		this.tick = (quarter.compareTo(LONGEST_TICK) > 0) ? LONGEST_TICK : quarter;
		this.quietTicks = Math.max(1, quarter.toNanos() / this.tick.toNanos());
		this.owed = settings.owed();
		this.poster = poster;
		this.renderer = renderer;
		this.tracker = tracker;
		this.observer = observer;
		this.fallback = fallback;
		this.templates = settings.templates();
		this.writer = this.writes.asFlux()
			.publishOn(scheduler)
			.concatMap(this::perform)
			.doFinally((signal) -> this.written.complete(null))
			.subscribe();
		this.turns = Flux.interval(this.tick, scheduler)
			.onBackpressureDrop()
			.filter((tick) -> !this.closing)
			.concatMap((tick) -> Flux.fromIterable(this.channels)
				.filter((channel) -> busy(channel) || tick % this.quietTicks == 0)
				.concatMap((channel) -> turn(channel, false))
				.onErrorResume((ex) -> {
					logger.warn("Could not take this replica's turn at the fleet's storm digests", ex);
					return Mono.empty();
				}))
			.subscribe();
	}

	/**
	 * Know a channel: from now on this replica takes its turn at its digest, and learns whether the fleet is in a
	 * storm there.
	 * @param channel the channel
	 */
	void watch(String channel) {
		if (this.channels.add(channel) && !this.closing) {
			// the first turn at once: a replica started during a storm learns of it before its first trip
			turn(channel, false).subscribe();
		}
	}

	/**
	 * Whether a channel is busy for this replica: it owes it messages, the fleet is in a storm there, or this replica
	 * holds its lease. A quiet channel gets a turn four times an interval, to learn of a storm elsewhere.
	 */
	private boolean busy(String channel) {
		return this.owed.applyAsInt(channel) > 0 || this.storms.contains(channel) || this.held.contains(channel)
				|| this.flushing.contains(channel) || this.members.containsValue(channel);
	}

	/**
	 * How many messages the other live replicas owe a channel, as of this replica's last turn.
	 * @param channel the channel
	 * @return the messages owed elsewhere in the fleet
	 */
	int owedElsewhere(String channel) {
		return this.owedElsewhere.getOrDefault(channel, 0);
	}

	/**
	 * Whether the fleet has a storm digest under way in a channel, as of this replica's last turn.
	 * @param channel the channel
	 * @return whether the fleet is in a storm there
	 */
	boolean inStorm(String channel) {
		return this.storms.contains(channel);
	}

	/**
	 * Whether a breaker of this replica is in the fleet's digest, or has a transition on its way there.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether the digest holds some of its transitions
	 */
	boolean holds(String circuitBreaker) {
		AtomicInteger count = this.unwritten.get(circuitBreaker);
		return this.members.containsKey(circuitBreaker) || (count != null && count.get() > 0);
	}

	/**
	 * Whether a breaker of this replica is in the fleet's digest until its cycle ends.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether it is a member
	 */
	boolean isMember(String circuitBreaker) {
		return this.members.containsKey(circuitBreaker);
	}

	/**
	 * Tell a transition in the fleet's digest: a trip makes its breaker a member until its cycle ends. Written in the
	 * background, in the order told; never on the caller's thread.
	 * @param snapshot the transition
	 * @param channel its channel
	 * @param templates the templates that word the digest
	 */
	void append(TransitionSnapshot snapshot, String channel, Templates templates) {
		String name = snapshot.circuitBreaker();
		State state = snapshot.transition().to();
		if (ThreadRules.endsCycle(state)) {
			this.members.remove(name);
		}
		else {
			this.members.put(name, channel);
		}
		// a trip joins the thread another replica tells the breaker's outage in, if there is one, once appended; apart
		// from the appends, which it does not hold up
		Supplier<Mono<Void>> append = ThreadRules.trips(snapshot.transition())
				? () -> this.store.append(channel, name, this.instance, state)
					.doOnSuccess((appended) -> this.tracker.failingElsewhere(name, state).subscribe())
				: () -> this.store.append(channel, name, this.instance, state);
		write(name, snapshot, append, () -> this.fallback.tell(snapshot, channel, templates));
	}

	/**
	 * Take a breaker that left its registry out of the fleet's digest.
	 * @param circuitBreaker the circuit breaker's name
	 */
	void release(String circuitBreaker) {
		String channel = this.members.remove(circuitBreaker);
		if (channel != null) {
			write(circuitBreaker, null, () -> this.store.leave(channel, circuitBreaker, this.instance), () -> {
			});
		}
	}

	private void write(String name, TransitionSnapshot snapshot, Supplier<Mono<Void>> write, Runnable fallback) {
		this.unwritten.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
		Write pending = new Write(name, snapshot, write, fallback);
		this.outstanding.add(pending);
		this.writes.emitNext(pending, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
	}

	private Mono<Void> perform(Write write) {
		Mono<Void> written;
		long now = System.nanoTime();
		if (this.failing.get() && now - this.lastProbe < this.tick.toNanos()) {
			// while the store fails, one write a turn probes it; the others go to this replica's own digest at once
			this.observer.storeFellBack("digest", new IllegalStateException("the fleet's storm digest is failing"));
			written = Mono.fromRunnable(write.fallback());
		}
		else {
			this.lastProbe = now;
			written = Mono.defer(write.write()).doOnSuccess((done) -> recovered()).onErrorResume((ex) -> {
				// the next probe a turn after this one failed, however long it took to fail
				this.lastProbe = System.nanoTime();
				fellBack(ex);
				write.fallback().run();
				return Mono.empty();
			});
		}
		return written.doFinally((signal) -> {
			this.outstanding.remove(write);
			this.unwritten.computeIfPresent(write.circuitBreaker(),
					(key, count) -> (count.decrementAndGet() > 0) ? count : null);
		});
	}

	private void fellBack(Throwable ex) {
		this.observer.storeFellBack("digest", ex);
		if (this.failing.compareAndSet(false, true)) {
			logger.warn("The fleet's storm digest failed; this replica tells its storm in a digest of its own until "
					+ "the store answers again: {}", ex.toString());
		}
		else {
			logger.debug("The fleet's storm digest failed again", ex);
		}
	}

	private void recovered() {
		if (this.failing.compareAndSet(true, false)) {
			logger.info("The fleet's storm digest answers again; this replica's storms are told with the fleet's");
		}
	}

	private Mono<Void> turn(String channel, boolean closing) {
		Duration lease = this.tick.multipliedBy(LEASE_TURNS);
		Duration due = closing ? Duration.ZERO : this.interval.minus(this.tick.dividedBy(2));
		return this.store.turn(channel, this.instance, lease, due, this.owed.applyAsInt(channel)).flatMap((turn) -> {
			this.turnsFailing.set(false);
			this.owedElsewhere.put(channel, turn.owedElsewhere());
			if (turn.storm()) {
				this.storms.add(channel);
			}
			else {
				this.storms.remove(channel);
			}
			if (turn.held()) {
				this.held.add(channel);
			}
			else {
				this.held.remove(channel);
			}
			if (turn.flush() && this.flushing.add(channel)) {
				// apart from the turns, which go on renewing the lease while Slack takes its time
				flush(channel).onErrorResume((ex) -> {
					logger.warn("Could not flush the fleet's storm digest of channel {}; the next turn tries again",
							channel, ex);
					return Mono.empty();
				}).doFinally((signal) -> this.flushing.remove(channel)).subscribe();
			}
			return Mono.<Void>empty();
		}).onErrorResume((ex) -> {
			if (this.turnsFailing.compareAndSet(false, true)) {
				logger.warn("This replica could not take its turn at the fleet's storm digest of channel {}; it tries "
						+ "again at the next: {}", channel, ex.toString());
			}
			return Mono.empty();
		});
	}

	/**
	 * Flush a channel's digest: read it, post what is new, and record what was told.
	 */
	private Mono<Void> flush(String channel) {
		return this.store.read(channel).flatMap((ledger) -> new Flush(channel, this.templates.get(), ledger).run());
	}

	/**
	 * Stop taking turns; write what is on its way, and flush the digests whose lease this replica holds.
	 * @param timeout how long to wait for it
	 */
	void close(Duration timeout) {
		// a flush under way finishes, so that what it posted is recorded as told: no new turn starts
		this.closing = true;
		long deadline = System.nanoTime() + timeout.toNanos();
		awaitFlushes(deadline);
		this.turns.dispose();
		while (!this.outstanding.isEmpty() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		try {
			// the last flush, when this replica holds the lease or takes it from one stopped before it
			Flux.fromIterable(this.channels)
				.concatMap((channel) -> turn(channel, true))
				.then()
				.block(remaining(deadline));
			awaitFlushes(deadline);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not post the last flush of the fleet's storm digest: {}", ex.getMessage());
		}
		// this replica's breakers stop with it: they no longer fail here
		this.members.keySet().forEach(this::release);
		this.writes.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
		try {
			this.written.get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			List<TransitionSnapshot> lost = this.outstanding.stream()
				.map(Write::snapshot)
				.filter(Objects::nonNull)
				.toList();
			lost.forEach(this.observer::dropped);
			logger.warn("Gave up writing {} transitions to the fleet's storm digest at shutdown; they are not told",
					lost.size());
		}
		try {
			Flux.fromIterable(this.channels)
				.concatMap((channel) -> this.store.release(channel, this.instance).onErrorResume((ex) -> Mono.empty()))
				.then()
				.block(remaining(deadline));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not give back the lease of the fleet's storm digest", ex);
		}
		this.writer.dispose();
	}

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
	}

	private void awaitFlushes(long deadline) {
		while (!this.flushing.isEmpty() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
	}

	/**
	 * One flush of a channel's digest, from the ledger it read.
	 */
	private final class Flush {

		private final String channel;

		private final Templates templates;

		private final Ledger ledger;

		private final Map<String, FleetDigestLine> lines = new LinkedHashMap<>();

		private final List<Entry> opened = new ArrayList<>();

		private final List<Entry> moved = new ArrayList<>();

		private final List<Entry> recovered = new ArrayList<>();

		private final List<Entry> gone = new ArrayList<>();

		private final List<Version> elsewhere = new ArrayList<>();

		Flush(String channel, Templates templates, Ledger ledger) {
			this.channel = channel;
			this.templates = templates;
			this.ledger = ledger;
			Instant silentSince = ledger.now().minus(FleetDigest.this.interval.multipliedBy(SILENT_INTERVALS));
			Predicate<String> alive = (instance) -> {
				Instant heartbeat = ledger.heartbeats().get(instance);
				return heartbeat == null || heartbeat.isAfter(silentSince);
			};
			for (Entry entry : ledger.entries()) {
				Map<String, State> failing = entry.failing(alive);
				boolean ended = failing.isEmpty();
				if (entry.mark() == Mark.ELSEWHERE) {
					if (entry.pending()) {
						this.elsewhere.add(new Version(entry.circuitBreaker(), entry.version(),
								ended ? Mark.RECOVERED : Mark.ELSEWHERE));
					}
					continue;
				}
				if (entry.members().isEmpty()) {
					if (entry.pending()) {
						this.gone.add(entry);
					}
					continue;
				}
				this.lines.put(entry.circuitBreaker(),
						ended ? new FleetDigestLine(State.CLOSED, 0) : new FleetDigestLine(shown(failing), failing.size()));
				if (!entry.pending()) {
					if (ended && entry.mark() == Mark.OPENED) {
						// its last instances still failing went silent: it recovered where the fleet still runs
						this.recovered.add(entry);
					}
					continue;
				}
				if (ended) {
					this.recovered.add(entry);
				}
				else if (entry.mark() == Mark.OPENED) {
					this.moved.add(entry);
				}
				else {
					this.opened.add(entry);
				}
			}
		}

		Mono<Void> run() {
			return elsewhere().then(Mono.defer(this::post));
		}

		/**
		 * Leave out the breakers that opened with a thread of their own, started (or being started) by a replica that
		 * tripped before it knew of the storm: the outage is told there, once.
		 */
		private Mono<Void> elsewhere() {
			return Flux.fromIterable(new ArrayList<>(this.opened))
				.concatMap((entry) -> FleetDigest.this.tracker.store()
					.find(entry.circuitBreaker())
					.filter((thread) -> thread.isClaim() || !thread.threadTs().equals(this.ledger.rootTs()))
					.doOnNext((thread) -> {
						this.opened.remove(entry);
						this.lines.remove(entry.circuitBreaker());
						this.elsewhere.add(new Version(entry.circuitBreaker(), entry.version(), Mark.ELSEWHERE));
					})
					.onErrorResume((ex) -> Mono.empty()))
				.then(Mono.defer(() -> this.elsewhere.isEmpty() ? Mono.<Void>empty()
						: FleetDigest.this.store.told(this.channel, new DigestStore.Told(null, null, this.elsewhere))));
		}

		private Mono<Void> post() {
			String rootTs = this.ledger.rootTs();
			String rootChannel = (this.ledger.rootChannel() != null) ? this.ledger.rootChannel() : this.channel;
			Template openedTemplate = this.templates.digestOpened();
			if (rootTs == null && (!this.opened.isEmpty() || !this.moved.isEmpty())) {
				List<Entry> listed = new ArrayList<>(this.opened);
				listed.addAll(this.moved);
				String what = "the root of the fleet's storm digest (" + listed.size() + " breakers)";
				return step(what, listed, Mark.OPENED,
						FleetDigest.this.poster.post(FleetDigest.this.renderer.renderFleetDigestRoot(this.channel,
								title(openedTemplate, this.lines.size()), openedTemplate.color(), this.lines), what))
					.flatMap((answer) -> {
						String postedChannel = (answer.channel() != null) ? answer.channel() : this.channel;
						return told(postedChannel, answer.ts(), listed, Mark.OPENED)
							.then(started(listed, postedChannel, answer.ts()))
							.then(recoveries(postedChannel, answer.ts()));
					})
					.then(forget());
			}
			Mono<Void> flush = Mono.empty();
			if (!this.opened.isEmpty()) {
				String what = "the reply of the fleet's storm digest naming " + this.opened.size() + " breakers";
				flush = flush.then(step(what, this.opened, Mark.OPENED,
						FleetDigest.this.poster.post(FleetDigest.this.renderer.renderFleetDigest(this.channel,
								title(openedTemplate, this.opened.size()), openedTemplate.color(),
								linesOf(this.opened), rootTs, false), what))
					.flatMap((answer) -> told(null, null, this.opened, Mark.OPENED)
						.then(started(this.opened, rootChannel, rootTs))));
			}
			if (rootTs != null && (!this.moved.isEmpty() || !this.opened.isEmpty() || !this.recovered.isEmpty()
					|| !this.gone.isEmpty())) {
				String what = "the edit of the fleet's storm digest root " + rootTs;
				flush = flush.then(step(what, this.moved, Mark.OPENED,
						FleetDigest.this.poster.update(FleetDigest.this.renderer.renderFleetDigestUpdate(rootChannel,
								rootTs, title(openedTemplate, this.lines.size()), openedTemplate.color(), this.lines),
								what))
					.flatMap((answer) -> told(null, null, this.moved, Mark.OPENED)));
			}
			else if (!this.moved.isEmpty()) {
				flush = flush.then(told(null, null, this.moved, Mark.OPENED));
			}
			return flush.then(recoveries(rootChannel, rootTs)).then(forget());
		}

		private Mono<Void> recoveries(String rootChannel, String rootTs) {
			if (this.recovered.isEmpty()) {
				return Mono.empty();
			}
			Template template = this.templates.digestRecovered();
			String what = "the recovery of " + this.recovered.size() + " breakers in the fleet's storm digest";
			return step(what, this.recovered, Mark.RECOVERED,
					FleetDigest.this.poster.post(FleetDigest.this.renderer.renderFleetDigest(this.channel,
							title(template, this.recovered.size()), template.color(), linesOf(this.recovered), rootTs,
							true), what))
				.flatMap((answer) -> told(null, null, this.recovered, Mark.RECOVERED)
					.then(ended(this.recovered, rootChannel, rootTs)));
		}

		/** Breakers that left every registry while in the digest: no longer listed, nothing to tell. */
		private Mono<Void> forget() {
			if (this.gone.isEmpty()) {
				return Mono.empty();
			}
			return told(null, null, this.gone, Mark.RECOVERED)
				.then(ended(this.gone, (this.ledger.rootChannel() != null) ? this.ledger.rootChannel() : this.channel,
						this.ledger.rootTs()));
		}

		/**
		 * Post one step. A refusal Slack will never accept is told as lost and its versions acknowledged; any other
		 * failure keeps them pending for the next flush.
		 */
		private Mono<SlackResponse> step(String what, List<Entry> entries, Mark mark, Mono<SlackResponse> post) {
			return post.onErrorResume((ex) -> {
				if (ex instanceof SlackApiException slack && slack.getKind() == SlackApiException.Kind.PERMANENT) {
					logger.warn("Slack refused {} in channel {}; {} breakers are not told: {}", what, this.channel,
							entries.size(), ex.toString());
					return told(null, null, entries, mark).then(Mono.empty());
				}
				logger.warn("Could not post {} in channel {}; its {} breakers stay pending for the next flush: {}",
						what, this.channel, entries.size(), ex.toString());
				return Mono.empty();
			});
		}

		private Mono<Void> told(String rootChannel, String rootTs, List<Entry> entries, Mark mark) {
			List<Version> versions = entries.stream()
				.map((entry) -> new Version(entry.circuitBreaker(), entry.version(), mark))
				.toList();
			return FleetDigest.this.store.told(this.channel, new DigestStore.Told(rootChannel, rootTs, versions));
		}

		private Mono<Void> started(List<Entry> entries, String rootChannel, String rootTs) {
			Instant now = FleetDigest.this.poster.now();
			return Flux.fromIterable(entries)
				.concatMap((entry) -> FleetDigest.this.tracker
					.digested(new SlackThread(entry.circuitBreaker(), rootChannel, rootTs,
							this.lines.get(entry.circuitBreaker()).state(), now, now, 1, null))
					.onErrorResume((ex) -> logged(ex, entry)))
				.then();
		}

		private Mono<Void> ended(List<Entry> entries, String rootChannel, String rootTs) {
			if (rootTs == null) {
				return Mono.empty();
			}
			Instant now = FleetDigest.this.poster.now();
			return Flux.fromIterable(entries)
				.concatMap((entry) -> FleetDigest.this.tracker
					.end(new SlackThread(entry.circuitBreaker(), rootChannel, rootTs, State.CLOSED, now, now, 1, null))
					.onErrorResume((ex) -> logged(ex, entry).then()))
				.then();
		}

		private Mono<Boolean> logged(Throwable ex, Entry entry) {
			logger.warn("Could not record the digest thread of circuit breaker '{}' in the thread store",
					entry.circuitBreaker(), ex);
			return Mono.empty();
		}

		private Map<String, FleetDigestLine> linesOf(List<Entry> entries) {
			Map<String, FleetDigestLine> lines = new LinkedHashMap<>();
			entries.forEach((entry) -> lines.put(entry.circuitBreaker(), this.lines.get(entry.circuitBreaker())));
			return lines;
		}

	}

	/** The most severe state among the instances a breaker is failing on. */
	private static State shown(Map<String, State> failing) {
		for (State state : List.of(State.OPEN, State.FORCED_OPEN, State.HALF_OPEN)) {
			if (failing.containsValue(state)) {
				return state;
			}
		}
		return failing.values().iterator().next();
	}

	private static String title(Template template, int count) {
		return SlackText.escape(Placeholders.replace(template.title(), Map.of("count", String.valueOf(count))));
	}

	private record Write(String circuitBreaker, TransitionSnapshot snapshot, Supplier<Mono<Void>> write,
			Runnable fallback) {

	}

	/**
	 * Tells a transition in this replica's own digest.
	 */
	@FunctionalInterface
	interface Fallback {

		void tell(TransitionSnapshot snapshot, String channel, Templates templates);

	}

	/**
	 * The fleet's digest as one listener takes part in it.
	 * @param store the shared store
	 * @param instance this replica's instance id
	 * @param interval how often each channel's digest is flushed
	 * @param templates the templates that word the digest
	 * @param owed how many messages this replica owes a channel
	 */
	record Settings(DigestStore store, String instance, Duration interval, Supplier<Templates> templates,
			ToIntFunction<String> owed) {

		Settings {
			Objects.requireNonNull(owed, "owed must not be null");
			Objects.requireNonNull(templates, "templates must not be null");
			Objects.requireNonNull(store, "store must not be null");
			Objects.requireNonNull(instance, "instance must not be null");
			Objects.requireNonNull(interval, "interval must not be null");
		}

	}

}
