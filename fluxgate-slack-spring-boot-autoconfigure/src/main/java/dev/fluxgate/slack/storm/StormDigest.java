package dev.fluxgate.slack.storm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.fluxgate.slack.DeliveryObserver;
import dev.fluxgate.slack.MessageRenderer;
import dev.fluxgate.slack.TransitionSnapshot;
import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackResponse;
import dev.fluxgate.slack.delivery.SlackPoster;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadRules;
import dev.fluxgate.slack.thread.ThreadTracker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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

	private final SlackPoster poster;

	private final MessageRenderer renderer;

	private final ThreadTracker tracker;

	private final DeliveryObserver observer;

	private final ConcurrentMap<String, ChannelDigest> digests = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ChannelDigest> digestedBreakers = new ConcurrentHashMap<>();

	private final ConcurrentMap<Object, List<TransitionSnapshot>> unsent = new ConcurrentHashMap<>();

	private final Disposable flusher;

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
	 */
	public StormDigest(ChannelBacklog backlog, long threshold, Duration interval, Scheduler scheduler,
			Predicate<String> hasLane, SlackPoster poster, MessageRenderer renderer, ThreadTracker tracker,
			DeliveryObserver observer) {
		this.backlog = backlog;
		this.threshold = threshold;
		this.hasLane = hasLane;
		this.poster = poster;
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
	}

	/**
	 * Tell a transition in its channel's storm digest instead of a message of its own: when its breaker is already in
	 * a digest, or trips while the channel's backlog is longer than it can send in the digest backlog time. This is the
	 * one place that decides who owns a breaker's messages: a breaker with messages in its lane, or with a thread of
	 * its own, stays with its lane until its cycle ends; one in a digest stays there until its cycle ends.
	 */
	public boolean absorb(TransitionSnapshot snapshot, String channel) {
		String name = snapshot.circuitBreaker();
		ChannelDigest digest = this.digestedBreakers.get(name);
		if (digest == null) {
			if (!ThreadRules.trips(snapshot.transition()) || this.backlog.owed(channel) < this.threshold
					|| this.hasLane.test(name) || this.backlog.inOwnCycle(name)) {
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
		this.observer.digested(snapshot);
		return true;
	}

	/**
	 * Forget a circuit breaker that left its registry: its cycle in progress no longer counts toward the channel's
	 * backlog, and it leaves any digest.
	 * @param circuitBreaker the circuit breaker's name
	 */
	public void release(String circuitBreaker) {
		ChannelDigest digest = this.digestedBreakers.remove(circuitBreaker);
		if (digest != null) {
			digest.members.decrementAndGet();
			digest.forget(circuitBreaker);
		}
	}

	/**
	 * Whether a channel is in a storm: it owes more than the threshold, or it has had a digest since its backlog was
	 * last drained.
	 */
	public boolean inStorm(String channel) {
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

	private ThreadTracker tracker() {
		return this.tracker;
	}

	private MessageRenderer renderer() {
		return this.renderer;
	}

	private Mono<SlackResponse> post(ChatPostMessage message, String what) {
		return this.poster.post(message, what);
	}

	private Mono<SlackResponse> update(ChatUpdate update, String what) {
		return this.poster.update(update, what);
	}

	/**
	 * Stop the periodic flush and post what the digests still hold.
	 * @param timeout how long to wait for it
	 */
	public void close(Duration timeout) {
		this.flusher.dispose();
		try {
			flush().block(timeout);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not post the last storm digest: {}", ex.getMessage());
		}
		List<TransitionSnapshot> lost = new ArrayList<>();
		this.unsent.values().forEach(lost::addAll);
		this.unsent.clear();
		if (!lost.isEmpty()) {
			lost.forEach(this.observer::dropped);
			logger.warn("Gave up the storm digest posts still on their way at shutdown; {} transitions are not told "
					+ "(fluxgate.slack.shutdown-timeout is {})", lost.size(), timeout);
		}
	}

	/**
	 * The storm digest of one channel: breakers that tripped while the channel was backed up, told together.
	 */
	private final class ChannelDigest {

		private final String channel;

		private final Map<String, TransitionSnapshot> opened = new LinkedHashMap<>();

		private final Map<String, Root> roots = new HashMap<>();

		private final Set<Root> changed = new LinkedHashSet<>();

		private final Map<Root, Map<String, TransitionSnapshot>> recovered = new LinkedHashMap<>();

		private final Map<String, TransitionSnapshot> recoveredUnposted = new LinkedHashMap<>();

		private final Map<String, TransitionSnapshot> announcing = new HashMap<>();

		private final List<TransitionSnapshot> moves = new ArrayList<>();

		private final AtomicInteger members = new AtomicInteger();

		private volatile boolean storm;

		ChannelDigest(String channel) {
			this.channel = channel;
		}

		synchronized void forget(String name) {
			this.opened.remove(name);
			this.announcing.remove(name);
			this.recoveredUnposted.remove(name);
			Root root = this.roots.remove(name);
			if (root != null) {
				synchronized (root.states) {
					root.states.remove(name);
				}
				this.changed.add(root);
			}
		}

		synchronized void record(TransitionSnapshot snapshot) {
			String name = snapshot.circuitBreaker();
			CircuitBreaker.State to = snapshot.transition().to();
			boolean ending = ThreadRules.endsCycle(to);
			Root root = this.roots.get(name);
			if (root == null && this.announcing.containsKey(name)) {
				this.announcing.put(name, snapshot);
				return;
			}
			if (root == null) {
				if (ending) {
					this.opened.remove(name);
					this.recoveredUnposted.put(name, snapshot);
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
			this.moves.add(snapshot);
			if (ending) {
				this.roots.remove(name);
				this.recovered.computeIfAbsent(root, (key) -> new LinkedHashMap<>()).put(name, snapshot);
			}
		}

		Mono<Void> flush() {
			Map<String, TransitionSnapshot> newlyOpened;
			List<Root> edited;
			Map<Root, Map<String, TransitionSnapshot>> recoveries;
			Map<String, TransitionSnapshot> recoveredEarly;
			List<TransitionSnapshot> moved;
			synchronized (this) {
				moved = new ArrayList<>(this.moves);
				this.moves.clear();
				newlyOpened = new LinkedHashMap<>(this.opened);
				edited = new ArrayList<>(this.changed);
				recoveries = new LinkedHashMap<>(this.recovered);
				recoveredEarly = new LinkedHashMap<>(this.recoveredUnposted);
				this.announcing.putAll(newlyOpened);
				this.opened.clear();
				this.changed.clear();
				this.recovered.clear();
				this.recoveredUnposted.clear();
			}
			Mono<Void> flush = Flux.fromIterable(moved)
				.concatMap((snapshot) -> tracker().moved(snapshot).onErrorResume((ex) -> {
					logger.warn("Could not record {} of digested circuit breaker '{}' in the thread store",
							snapshot.transition(), snapshot.circuitBreaker(), ex);
					return Mono.empty();
				}))
				.then();
			if (!newlyOpened.isEmpty()) {
				String what = "the root of " + newlyOpened.size() + " breakers that opened";
				flush = flush.then(alone(what, newlyOpened.values(), () -> postRoot(newlyOpened, what)));
			}
			for (Root root : edited) {
				String what = "the edit of the digest root " + root.ts;
				flush = flush.then(alone(what, List.of(), () -> update(renderer().renderDigestUpdate(root.channel,
						root.ts, root.title, "#FF4C4C", root.statesCopy()), what)));
			}
			for (Map.Entry<Root, Map<String, TransitionSnapshot>> entry : recoveries.entrySet()) {
				flush = flush.then(recovery(entry.getKey().channel, entry.getValue(), entry.getKey().ts));
			}
			if (!recoveredEarly.isEmpty()) {
				flush = flush.then(recovery(this.channel, recoveredEarly, null));
			}
			return flush;
		}

		private Mono<Void> recovery(String channel, Map<String, TransitionSnapshot> recoveries, String threadTs) {
			String what = "the recovery of " + recoveries.size() + " breakers";
			return alone(what, recoveries.values(), () -> post(renderer().renderDigest(channel,
					"✅ " + recoveries.size() + " circuit breakers recovered", "#36a64f", states(recoveries), threadTs),
					what));
		}

		/**
		 * One step of a flush, rendered when it runs, retried like any message, and failing alone, so that the steps
		 * after it are still posted. The transitions a step that finally failed was to tell are counted failed.
		 */
		private Mono<Void> alone(String what, Collection<TransitionSnapshot> snapshots, Supplier<Mono<?>> step) {
			List<TransitionSnapshot> telling = new ArrayList<>(snapshots);
			Object key = new Object();
			StormDigest.this.unsent.put(key, telling);
			return Mono.defer(step).then().doOnTerminate(() -> StormDigest.this.unsent.remove(key)).onErrorResume((ex) -> {
				logger.warn("Could not post {} in the storm digest of channel {}; {} transitions are lost: {}", what,
						this.channel, telling.size(), ex.toString());
				SlackApiException failure = (ex instanceof SlackApiException slack) ? slack
						: new SlackApiException("client_error", SlackApiException.Kind.PERMANENT, null, ex.toString(),
								ex);
				telling.forEach((snapshot) -> StormDigest.this.observer.failed(snapshot, failure));
				return Mono.empty();
			});
		}

		private Mono<Void> postRoot(Map<String, TransitionSnapshot> newlyOpened, String what) {
			Map<String, CircuitBreaker.State> states = states(newlyOpened);
			String title = "🚨 " + states.size() + " more circuit breakers opened";
			return post(renderer().renderDigestRoot(this.channel, title, "#FF4C4C", states), what).flatMap((answer) -> {
				String answerChannel = (answer.channel() != null) ? answer.channel() : this.channel;
				Root root = new Root(answerChannel, answer.ts(), title, states);
				List<SlackThread> started = new ArrayList<>();
				synchronized (this) {
					newlyOpened.forEach((name, snapshot) -> announced(name, snapshot, root, started));
				}
				return Flux.fromIterable(started).concatMap(tracker()::started).then();
			}).doOnError((ex) -> {
				synchronized (this) {
					newlyOpened.keySet().forEach(this.announcing::remove);
				}
			});
		}

		/**
		 * A breaker's digest root was posted: it now belongs to that root, at the state it reached meanwhile; one
		 * that moved gets the root edited, and one that ended meanwhile is told recovered in the root's thread.
		 */
		private void announced(String name, TransitionSnapshot snapshot, Root root, List<SlackThread> started) {
			TransitionSnapshot latestSnapshot = this.announcing.remove(name);
			if (latestSnapshot == null) {
				return;
			}
			CircuitBreaker.State latest = latestSnapshot.transition().to();
			if (latest != root.states.get(name)) {
				synchronized (root.states) {
					root.states.put(name, latest);
				}
				this.changed.add(root);
			}
			if (ThreadRules.endsCycle(latest)) {
				this.recovered.computeIfAbsent(root, (key) -> new LinkedHashMap<>()).put(name, latestSnapshot);
			}
			else if (StormDigest.this.digestedBreakers.get(name) == this) {
				this.roots.put(name, root);
				started.add(
						new SlackThread(name, root.channel, root.ts, latest, snapshot.time(), snapshot.time(), 1, null));
			}
		}

	}

	private static Map<String, CircuitBreaker.State> states(Map<String, TransitionSnapshot> snapshots) {
		Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
		snapshots.forEach((name, snapshot) -> states.put(name, snapshot.transition().to()));
		return states;
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

}
