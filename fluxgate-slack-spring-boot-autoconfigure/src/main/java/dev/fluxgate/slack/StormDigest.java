package dev.fluxgate.slack;

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
import java.util.function.Supplier;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackResponse;
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
 * The storm digests of an {@link AsyncSlackListener}: when a channel owes more messages than it can send in the
 * digest backlog time, breakers that trip there are told together, one digest per interval, its root kept up to date
 * with their states and their recoveries gathered into one reply.
 */
final class StormDigest {

	private static final Logger logger = LoggerFactory.getLogger(StormDigest.class);

	private final AsyncSlackListener listener;

	private final long threshold;

	private final ConcurrentMap<String, AtomicInteger> cycles = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, String> cycleChannels = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ChannelDigest> digests = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ChannelDigest> digestedBreakers = new ConcurrentHashMap<>();

	private final ConcurrentMap<Object, List<TransitionSnapshot>> unsent = new ConcurrentHashMap<>();

	private final Disposable flusher;

	StormDigest(AsyncSlackListener listener, long threshold, Duration interval, Scheduler scheduler) {
		this.listener = listener;
		this.threshold = threshold;
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
	boolean absorb(TransitionSnapshot snapshot, String channel) {
		String name = snapshot.circuitBreaker();
		ChannelDigest digest = this.digestedBreakers.get(name);
		if (digest == null) {
			if (!ThreadRules.trips(snapshot.transition()) || load(channel) < this.threshold
					|| this.listener.hasLane(name) || this.cycleChannels.containsKey(name)) {
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
		this.listener.observer().digested(snapshot);
		return true;
	}

	/**
	 * Count the failure cycles with a thread of their own in progress on a channel: each still owes at least the
	 * message that ends it.
	 */
	private void countCycle(String channel, TransitionSnapshot snapshot) {
		if (ThreadRules.trips(snapshot.transition())) {
			if (this.cycleChannels.putIfAbsent(snapshot.circuitBreaker(), channel) == null) {
				cycles(channel).incrementAndGet();
			}
		}
		else if (ThreadRules.endsCycle(snapshot.transition().to())) {
			endCycle(snapshot.circuitBreaker());
		}
	}

	private void endCycle(String circuitBreaker) {
		String channel = this.cycleChannels.remove(circuitBreaker);
		if (channel != null) {
			cycles(channel).updateAndGet((count) -> Math.max(0, count - 1));
		}
	}

	/**
	 * Forget a circuit breaker that left its registry: its cycle in progress no longer counts toward the channel's
	 * backlog, and it leaves any digest.
	 * @param circuitBreaker the circuit breaker's name
	 */
	void release(String circuitBreaker) {
		endCycle(circuitBreaker);
		ChannelDigest digest = this.digestedBreakers.remove(circuitBreaker);
		if (digest != null) {
			digest.members.decrementAndGet();
			digest.forget(circuitBreaker);
		}
	}

	private AtomicInteger cycles(String channel) {
		return this.cycles.computeIfAbsent(channel, (id) -> new AtomicInteger());
	}

	/**
	 * Return the messages a channel owes while Slack rate-limits it: those waiting, plus one to end each cycle in
	 * progress. A channel that is not limited owes nothing in this sense.
	 */
	private int load(String channel) {
		if (!this.listener.pacer().isLimited(channel)) {
			return 0;
		}
		return this.listener.backlogOf(channel) + cycles(channel).get();
	}

	/**
	 * Whether a channel is in a storm: it owes more than the threshold, or it has had a digest since its backlog was
	 * last drained.
	 */
	boolean inStorm(String channel) {
		int backlog = load(channel);
		ChannelDigest digest = this.digests.get(channel);
		if (digest == null || backlog >= this.threshold) {
			return backlog >= this.threshold;
		}
		if (this.listener.backlogOf(channel) == 0 && digest.members.get() == 0) {
			digest.storm = false;
		}
		return digest.storm;
	}

	private Mono<Void> flush() {
		return Flux.fromIterable(this.digests.values()).concatMap(ChannelDigest::flush).then();
	}

	private ThreadTracker tracker() {
		return this.listener.tracker();
	}

	private MessageRenderer renderer() {
		return this.listener.renderer();
	}

	private Mono<SlackResponse> post(ChatPostMessage message, String what) {
		return this.listener.post(message, what);
	}

	private Mono<SlackResponse> update(ChatUpdate update, String what) {
		return this.listener.update(update, what);
	}

	/**
	 * Stop the periodic flush and post what the digests still hold.
	 * @param timeout how long to wait for it
	 */
	void close(Duration timeout) {
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
			lost.forEach((snapshot) -> this.listener.observer().dropped(snapshot));
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
				telling.forEach((snapshot) -> StormDigest.this.listener.observer().failed(snapshot, failure));
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
