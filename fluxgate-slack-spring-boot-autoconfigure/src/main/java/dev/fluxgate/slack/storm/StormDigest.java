package dev.fluxgate.slack.storm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.delivery.SlackPoster;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.DigestRenderer;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.thread.ThreadRules;
import dev.fluxgate.slack.thread.ThreadTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The storm digests of an asynchronous listener: when a channel owes more messages than it can send in the
 * digest backlog time, breakers that trip there are told together, one digest per interval, its root kept up to date
 * with their states and their recoveries gathered into one reply.
 */
public final class StormDigest {

	private static final Logger logger = LoggerFactory.getLogger(StormDigest.class);

	private final ChannelBacklog backlog;

	private final long threshold;

	private final Predicate<String> hasLane;

	private final DigestSender sender;

	private final DigestRenderer renderer;

	private final ThreadTracker tracker;

	private final DeliveryObserver observer;

	private final ConcurrentMap<String, ChannelDigest> digests = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ChannelDigest> digestedBreakers = new ConcurrentHashMap<>();

	private final Disposable flusher;

	private final FleetDigest fleet;

	/**
	 * Create the storm digests of a listener's channels.
	 * @param backlog what each channel owes
	 * @param threshold how many owed messages make a storm
	 * @param interval how often each channel's digest is posted and updated
	 * @param scheduler where the flushes run
	 * @param hasLane whether a breaker has messages waiting or in flight in its lane
	 * @param poster sends to Slack in each channel's turn
	 * @param renderer turns the digest into messages
	 * @param tracker the one writer of thread state
	 * @param observer told what becomes of each transition
	 * @param fleet the store of the fleet's digest and this replica's instance id, or {@code null} for a digest of
	 * this listener's own
	 */
	public StormDigest(ChannelBacklog backlog, long threshold, Duration interval, Scheduler scheduler,
			Predicate<String> hasLane, SlackPoster poster, DigestRenderer renderer, ThreadTracker tracker,
			DeliveryObserver observer, Fleet fleet) {
		this.backlog = backlog;
		this.threshold = threshold;
		this.hasLane = hasLane;
		this.sender = new DigestSender(poster, observer);
		this.renderer = renderer;
		this.tracker = tracker;
		this.observer = observer;
		this.flusher = Flux.interval(interval, scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> Mono.defer(this::flush).onErrorResume((ex) -> {
				logger.warn("Could not flush the storm digests; the next interval tries again", ex);
				return Mono.empty();
			}))
			.subscribe();
		this.fleet = (fleet != null) ? new FleetDigest(
				new FleetDigest.Settings(fleet.store(), fleet.instance(), interval, fleet.templates(), backlog::owed),
				scheduler, poster, renderer, tracker, observer, this::ownDigest) : null;
		if (this.fleet != null && fleet.channel() != null) {
			this.fleet.watch(fleet.channel());
		}
	}

	/**
	 * The fleet's storm digest a listener takes part in.
	 * @param store where the replicas keep it
	 * @param instance this replica's instance id
	 * @param channel the listener's default channel, whose digest this replica takes its turn at from the start
	 * @param templates the templates that word the digest
	 */
	public record Fleet(DigestStore store, String instance, String channel, Supplier<Templates> templates) {

	}

	/**
	 * Tell a transition in its channel's storm digest instead of a message of its own: when its breaker is already in
	 * a digest, or trips while the channel's backlog is longer than it can send in the digest backlog time. This is the
	 * one place that decides who owns a breaker's messages: a breaker with messages in its lane, or with a thread of
	 * its own, stays with its lane until its cycle ends; one in a digest stays there until its cycle ends. Never
	 * throws: a transition the digest could not take gets a message of its own.
	 * @param snapshot the transition
	 * @param channel its breaker's channel
	 * @param templates the templates that word the digest
	 * @return whether the digest took it
	 */
	public boolean absorb(TransitionSnapshot snapshot, String channel, Templates templates) {
		try {
			return take(snapshot, channel, templates);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not tell {} of circuit breaker '{}' in the storm digest; it gets a message of its own",
					snapshot.transition(), snapshot.circuitBreaker(), ex);
			return false;
		}
	}

	private boolean take(TransitionSnapshot snapshot, String channel, Templates templates) {
		String name = snapshot.circuitBreaker();
		if (this.fleet != null) {
			this.fleet.watch(channel);
		}
		ChannelDigest digest = this.digestedBreakers.get(name);
		boolean member = digest != null || (this.fleet != null && this.fleet.isMember(name));
		if (!member && (!ThreadRules.trips(snapshot.transition()) || !storming(channel) || this.hasLane.test(name)
				|| this.backlog.inOwnCycle(name))) {
			return false;
		}
		if (this.fleet != null && digest == null) {
			this.fleet.append(snapshot, channel, templates);
			this.observer.digested(snapshot);
			return true;
		}
		if (digest == null) {
			digest = channelDigest(channel, templates);
			this.digestedBreakers.put(name, digest);
			digest.members.incrementAndGet();
			digest.storm = true;
		}
		if (ThreadRules.endsCycle(snapshot.transition().to())) {
			digest.ended(snapshot);
		}
		else {
			digest.record(snapshot);
		}
		this.observer.digested(snapshot);
		return true;
	}

	/**
	 * Whether a trip in a channel goes to a digest: the channel is backed up, in the fleet's view when there is one
	 * (what this replica owes it and what the others said they owe at their last turn), or the fleet is in a storm
	 * there.
	 */
	private boolean storming(String channel) {
		if (this.fleet == null) {
			return this.backlog.owed(channel) >= this.threshold;
		}
		return this.backlog.owed(channel) + this.fleet.owedElsewhere(channel) >= this.threshold
				|| this.fleet.inStorm(channel);
	}

	private ChannelDigest channelDigest(String channel, Templates templates) {
		return this.digests.computeIfAbsent(channel, (id) -> new ChannelDigest(id, this.sender, this.renderer,
				templates, this.tracker, this.digestedBreakers));
	}

	/** A transition the fleet's digest could not take, told in this replica's own digest of its channel. */
	private void ownDigest(TransitionSnapshot snapshot, String channel, Templates templates) {
		ChannelDigest digest = channelDigest(channel, templates);
		digest.storm = true;
		digest.record(snapshot);
	}

	/**
	 * Forget a circuit breaker that left its registry: its cycle in progress no longer counts toward the channel's
	 * backlog, and it leaves any digest.
	 * @param circuitBreaker the circuit breaker's name
	 */
	public void release(String circuitBreaker) {
		if (this.fleet != null) {
			this.fleet.release(circuitBreaker);
		}
		ChannelDigest digest = this.digestedBreakers.get(circuitBreaker);
		if (digest != null) {
			digest.forget(circuitBreaker);
		}
	}

	/**
	 * Whether a breaker belongs to a digest, or has transitions in one not told yet.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether the digest holds some of its messages
	 */
	public boolean holds(String circuitBreaker) {
		return this.digestedBreakers.containsKey(circuitBreaker) || (this.fleet != null && this.fleet.holds(circuitBreaker))
				|| this.digests.values().stream().anyMatch((digest) -> digest.holds(circuitBreaker));
	}

	/**
	 * Whether a channel is in a storm: it owes more than the threshold, or it has had a digest since its backlog was
	 * last drained.
	 */
	public boolean inStorm(String channel) {
		if (this.fleet != null && this.fleet.inStorm(channel)) {
			return true;
		}
		int backlog = this.backlog.owed(channel);
		ChannelDigest digest = this.digests.get(channel);
		if (digest == null || backlog >= this.threshold) {
			return backlog >= this.threshold;
		}
		if (this.backlog.waiting(channel) == 0 && digest.members.get() == 0) {
			digest.storm = false;
		}
		return digest.storm;
	}

	private Mono<Void> flush() {
		return Flux.fromIterable(this.digests.values()).concatMap(ChannelDigest::flush).then();
	}

	/**
	 * Stop the periodic flush and post what the digests still hold.
	 * @param timeout how long to wait for it
	 */
	public void close(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		if (this.fleet != null) {
			this.fleet.close(timeout);
		}
		this.flusher.dispose();
		try {
			// one deadline for both: the fleet's digest and this replica's own
			flush().block(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not post the last storm digest: {}", ex.getMessage());
		}
		List<TransitionSnapshot> lost = this.sender.giveUp();
		if (!lost.isEmpty()) {
			lost.forEach(this.observer::dropped);
			logger.warn("Gave up the storm digest posts still on their way at shutdown; {} transitions are not told "
					+ "(fluxgate.slack.shutdown-timeout is {})", lost.size(), timeout);
		}
	}

}
