package dev.fluxgate.slack.storm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.DigestRenderer;
import dev.fluxgate.slack.message.Placeholders;
import dev.fluxgate.slack.message.SlackText;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadRules;
import dev.fluxgate.slack.thread.ThreadTracker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The storm digest of one channel: breakers that tripped while the channel was backed up, told together.
 */
final class ChannelDigest {

	private static final Logger logger = LoggerFactory.getLogger(ChannelDigest.class);

	private final String channel;

	private final DigestSender sender;

	private final DigestRenderer renderer;

	private final Templates templates;

	private final ThreadTracker tracker;

	private final Map<String, ChannelDigest> membership;

	private final Map<String, TransitionSnapshot> opened = new LinkedHashMap<>();

	private final Map<String, DigestRoot> roots = new HashMap<>();

	private final Set<DigestRoot> changed = new LinkedHashSet<>();

	private final Map<DigestRoot, Map<String, TransitionSnapshot>> recovered = new LinkedHashMap<>();

	private final Map<String, TransitionSnapshot> recoveredUnposted = new LinkedHashMap<>();

	private final Map<String, TransitionSnapshot> announcing = new HashMap<>();

	private final List<TransitionSnapshot> moves = new ArrayList<>();

	final AtomicInteger members = new AtomicInteger();

	volatile boolean storm;

	/**
	 * Create the digest of a channel.
	 * @param channel the channel
	 * @param sender sends the digest's posts
	 * @param renderer renders them
	 * @param templates word them
	 * @param tracker records the threads of the breakers the digest tells
	 * @param membership the digest each breaker belongs to, kept by the storm digest
	 */
	ChannelDigest(String channel, DigestSender sender, DigestRenderer renderer, Templates templates,
			ThreadTracker tracker, Map<String, ChannelDigest> membership) {
		this.channel = channel;
		this.sender = sender;
		this.renderer = renderer;
		this.templates = templates;
		this.tracker = tracker;
		this.membership = membership;
	}

	/**
	 * A breaker that left its registry leaves the digest, and what the digest has not told of it yet is forgotten.
	 */
	synchronized void forget(String name) {
		leave(name);
		this.opened.remove(name);
		this.announcing.remove(name);
		this.recoveredUnposted.remove(name);
		DigestRoot root = this.roots.remove(name);
		if (root != null) {
			synchronized (root.states) {
				root.states.remove(name);
			}
			this.changed.add(root);
		}
	}

	/**
	 * Whether a breaker has transitions in this digest not told yet.
	 */
	synchronized boolean holds(String name) {
		return this.opened.containsKey(name) || this.announcing.containsKey(name)
				|| this.recoveredUnposted.containsKey(name)
				|| this.moves.stream().anyMatch((snapshot) -> snapshot.circuitBreaker().equals(name))
				|| this.recovered.values().stream().anyMatch((recoveries) -> recoveries.containsKey(name));
	}

	synchronized void record(TransitionSnapshot snapshot) {
		String name = snapshot.circuitBreaker();
		CircuitBreaker.State to = snapshot.transition().to();
		boolean ending = ThreadRules.endsCycle(to);
		DigestRoot root = this.roots.get(name);
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

	/**
	 * Tell the end of a member's cycle, and let the breaker leave the digest, in one step under the digest's lock: a
	 * root whose answer comes in meanwhile finds the breaker either still a member or ended, never neither, so that
	 * its recovery is told in the root's thread and the root shows it ended.
	 */
	synchronized void ended(TransitionSnapshot snapshot) {
		record(snapshot);
		leave(snapshot.circuitBreaker());
	}

	/**
	 * A breaker leaves the digest. Only under the digest's lock, which is where {@link #announced} asks who belongs
	 * to it.
	 */
	private void leave(String name) {
		if (this.membership.remove(name, this)) {
			this.members.decrementAndGet();
		}
	}

	Mono<Void> flush() {
		Map<String, TransitionSnapshot> newlyOpened;
		List<DigestRoot> edited;
		Map<DigestRoot, Map<String, TransitionSnapshot>> recoveries;
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
			.concatMap((snapshot) -> this.tracker.moved(snapshot).onErrorResume((ex) -> {
				logger.warn("Could not record {} of digested circuit breaker '{}' in the thread store",
						snapshot.transition(), snapshot.circuitBreaker(), ex);
				return Mono.empty();
			}))
			.then();
		if (!newlyOpened.isEmpty()) {
			String what = "the root of " + newlyOpened.size() + " breakers that opened";
			flush = flush.then(this.sender.alone(this.channel, what, newlyOpened.values(),
					() -> postRoot(newlyOpened, what)));
		}
		for (DigestRoot root : edited) {
			String what = "the edit of the digest root " + root.ts;
			flush = flush.then(this.sender.alone(this.channel, what, List.of(), () -> this.sender.update(this.renderer
				.renderDigestUpdate(root.channel, root.ts, root.title, root.color, root.statesCopy()), what)));
		}
		for (Map.Entry<DigestRoot, Map<String, TransitionSnapshot>> entry : recoveries.entrySet()) {
			flush = flush.then(recovery(entry.getKey().channel, entry.getValue(), entry.getKey().ts));
		}
		if (!recoveredEarly.isEmpty()) {
			flush = flush.then(recovery(this.channel, recoveredEarly, null));
		}
		return flush;
	}

	private Mono<Void> recovery(String channel, Map<String, TransitionSnapshot> recoveries, String threadTs) {
		String what = "the recovery of " + recoveries.size() + " breakers";
		Template recovered = this.templates.digestRecovered();
		return this.sender.alone(this.channel, what, recoveries.values(),
				() -> this.sender.post(this.renderer.renderDigest(channel, title(recovered, recoveries.size()),
						recovered.color(), states(recoveries), threadTs), what));
	}

	private Mono<Void> postRoot(Map<String, TransitionSnapshot> newlyOpened, String what) {
		Map<String, CircuitBreaker.State> states = states(newlyOpened);
		Template opened = this.templates.digestOpened();
		String title = title(opened, states.size());
		ChatPostMessage message = this.renderer.renderDigestRoot(this.channel, title, opened.color(), states);
		return this.sender.post(message, what).flatMap((answer) -> {
			String answerChannel = (answer.channel() != null) ? answer.channel() : this.channel;
			DigestRoot root = new DigestRoot(answerChannel, answer.ts(), title, opened.color(), states);
			List<SlackThread> started = new ArrayList<>();
			synchronized (this) {
				newlyOpened.forEach((name, snapshot) -> announced(name, snapshot, root, started));
			}
			return Flux.fromIterable(started).concatMap(this.tracker::started).then();
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
	private void announced(String name, TransitionSnapshot snapshot, DigestRoot root, List<SlackThread> started) {
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
		else if (this.membership.get(name) == this) {
			this.roots.put(name, root);
			started.add(
					new SlackThread(name, root.channel, root.ts, latest, snapshot.time(), snapshot.time(), 1, null));
		}
	}

	private static Map<String, CircuitBreaker.State> states(Map<String, TransitionSnapshot> snapshots) {
		Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
		snapshots.forEach((name, snapshot) -> states.put(name, snapshot.transition().to()));
		return states;
	}

	private static String title(Template template, int count) {
		return SlackText.escape(Placeholders.replace(template.title(), Map.of("count", String.valueOf(count))));
	}

}
