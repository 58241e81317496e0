package dev.fluxgate.slack.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.redis.RedisServer;
import dev.fluxgate.slack.redis.RedisSharedPace;
import dev.fluxgate.slack.redis.RedisThreadStore;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Redis's cost of a transition outside storms: breakers going through a whole failure cycle (CLOSED, OPEN,
 * HALF_OPEN, OPEN, HALF_OPEN, CLOSED) one transition at a time, slowly enough that no channel is ever paced or
 * refused, on one replica and then on three replicas sharing one {@code redis-server} (each its own listener, Redis
 * connection and instance id, like {@link Storm}), with the default heartbeat of 10 s and the fleet's shared pacing.
 * <p>
 * The cycles run in two phases: every breaker's first three transitions (all threads are open after them), then a
 * quiet period with every thread open that measures the heartbeats alone, then the last two transitions. The
 * commands of the two phases are the raw cost; less the quiet period's rate over their duration, the net cost.
 * Commands are the server's ({@code INFO}: a script's {@code redis.call}s count), requests the clients'.
 */
final class Quiet {

	private static final String PREFIX = "fluxgate:slack";

	private static final Duration HEARTBEAT = Duration.ofSeconds(10);

	/** Breakers are spread over this many channels at most, so that none is ever paced at one message a second. */
	private static final int CHANNELS = 10;

	private static final int TRANSITIONS = 5;

	private Quiet() {
	}

	/**
	 * Time between two transitions (across all replicas) such that each channel gets on average well under one
	 * message a second, in bursts of at most three.
	 */
	static Duration defaultSpacing(int breakers) {
		return Duration.ofMillis(Math.max(150, 1500 / Math.min(breakers, CHANNELS)));
	}

	static void run(int breakers, Duration spacing, Duration idle) throws Exception {
		run(breakers, 1, spacing, idle);
		run(breakers, 3, spacing, idle);
	}

	static void run(int breakers, int replicas, Duration spacing, Duration idle) throws Exception {
		int channels = Math.min(breakers, CHANNELS);
		try (SlackServer slack = new SlackServer(Duration.ofMillis(50), 1.0, 5);
				RedisServer server = RedisServer.started()) {
			Storm.Outcomes outcomes = new Storm.Outcomes();
			AtomicLong requests = new AtomicLong();
			List<AsyncSlackListener> listeners = new ArrayList<>();
			for (int replica = 1; replica <= replicas; replica++) {
				ReactiveStringRedisTemplate template = server.template(RedisStats.requestCounter(requests));
				listeners.add(AsyncSlackListener.builder()
					.channel("C0QUIETWARM")
					.channelRouter((name) -> name.startsWith("service-")
							? "C0QUIET" + (Integer.parseInt(name.substring("service-".length())) % channels) : null)
					.token("xoxb-bench")
					.baseUrl(slack.baseUrl())
					.observer(outcomes)
					.threadStore(new FallbackThreadStore(
							new RedisThreadStore(template, PREFIX, Duration.ofDays(1), Duration.ofSeconds(1)),
							() -> outcomes))
					.pacer(ChannelPacer.slackDefault()
						.sharedBy(new RedisSharedPace(template, PREFIX, Duration.ofSeconds(1))))
					.fleet("replica-" + replica, HEARTBEAT)
					.build());
			}
			RedisStats stats = new RedisStats(server.template());
			// Connect every replica before anything is measured: a connection's handshake is no transition's.
			listeners.forEach((listener) -> listener.getThreadStore().count().block());
			AtomicInteger produced = new AtomicInteger();
			AtomicInteger warmUpProduced = new AtomicInteger();
			CircuitBreaker[][] breakersOf = new CircuitBreaker[replicas][breakers];
			for (int replica = 0; replica < replicas; replica++) {
				for (int i = 0; i < breakers; i++) {
					CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(String.format("service-%04d", i));
					listeners.get(replica).bindTo(circuitBreaker);
					circuitBreaker.getEventPublisher().onStateTransition((event) -> produced.incrementAndGet());
					breakersOf[replica][i] = circuitBreaker;
				}
			}
			long bound = System.nanoTime();
			// Warm up on replica 1 with a breaker of its own channel, so that every script is in Redis's cache.
			CircuitBreaker warmUp = CircuitBreaker.ofDefaults("warm-up");
			listeners.get(0).bindTo(warmUp);
			warmUp.getEventPublisher().onStateTransition((event) -> warmUpProduced.incrementAndGet());
			for (int t = 0; t < TRANSITIONS; t++) {
				transition(warmUp, t);
				Thread.sleep(600);
			}
			awaitDrained(slack, listeners, outcomes, () -> warmUpProduced.get() >= TRANSITIONS, TRANSITIONS);
			// One heartbeat after a breaker is bound, each replica checks once whether it was in a cycle: not a
			// transition's cost either.
			sleepUntil(bound + HEARTBEAT.plusMillis(1500).toNanos());

			int accountedBefore = outcomes.accounted();
			int deliveredBefore = outcomes.delivered.get();
			int coalescedBefore = outcomes.coalesced.get();
			int digestedBefore = outcomes.digested.get();
			int droppedBefore = outcomes.dropped.get();
			int failedBefore = outcomes.failed.get();
			int postsBefore = slack.posts.get();
			int updatesBefore = slack.updates.get();
			int rateLimitedBefore = slack.rateLimited.get();
			int fallbacksBefore = outcomes.storeFallbacks.get();
			outcomes.storeNanos.clear();
			long requestsStart = requests.get();
			RedisStats.Snapshot start = stats.take();

			int firstPhase = 3 * breakers * replicas;
			steps(breakersOf, 0, 3, spacing);
			awaitDrained(slack, listeners, outcomes,
					() -> produced.get() >= firstPhase && outcomes.accounted() - accountedBefore >= produced.get(),
					firstPhase);
			long requestsQuietFrom = requests.get();
			RedisStats.Snapshot quietFrom = stats.take();
			Thread.sleep(idle.toMillis());
			long requestsQuietTo = requests.get();
			RedisStats.Snapshot quietTo = stats.take();

			int all = TRANSITIONS * breakers * replicas;
			steps(breakersOf, 3, TRANSITIONS, spacing);
			awaitDrained(slack, listeners, outcomes,
					() -> produced.get() >= all && outcomes.accounted() - accountedBefore >= produced.get(), all);
			long requestsEnd = requests.get();
			RedisStats.Snapshot end = stats.take();
			listeners.forEach(AsyncSlackListener::close);

			double activeSeconds = quietFrom.secondsSince(start) + end.secondsSince(quietTo);
			long commands = quietFrom.commandsSince(start) + end.commandsSince(quietTo);
			long requestsActive = (requestsQuietFrom - requestsStart) + (requestsEnd - requestsQuietTo);
			double quietSeconds = quietTo.secondsSince(quietFrom);
			double commandsPerSecond = quietTo.commandsSince(quietFrom) / quietSeconds;
			double cpuActive = quietFrom.cpuMicrosSince(start) + end.cpuMicrosSince(quietTo);
			double cpuPerSecond = quietTo.cpuMicrosSince(quietFrom) / quietSeconds;
			double requestsPerSecond = (requestsQuietTo - requestsQuietFrom) / quietSeconds;
			Map<String, Long> activeCalls = RedisStats.plus(quietFrom.callsSince(start), end.callsSince(quietTo));
			Map<String, Long> quietCalls = quietTo.callsSince(quietFrom);
			int transitions = produced.get();

			System.out.println();
			System.out.println("Quiet: " + breakers + " breakers on " + channels + " channel(s)"
					+ ((replicas > 1) ? " on each of " + replicas + " replicas sharing one Redis" : ", one replica, Redis")
					+ ", each a full cycle CLOSED→OPEN→HALF_OPEN→OPEN→HALF_OPEN→CLOSED, one transition every "
					+ spacing.toMillis() + " ms across all replicas; heartbeat " + HEARTBEAT.toSeconds()
					+ " s; pacing on, shared in Redis; Slack stand-in at 50 ms enforcing 1 message/s (burst 5) per "
					+ "channel");
			row("transitions produced", transitions);
			row("  delivered (own message)", outcomes.delivered.get() - deliveredBefore);
			row("  coalesced / digested", (outcomes.coalesced.get() - coalescedBefore) + " / "
					+ (outcomes.digested.get() - digestedBefore));
			row("  dropped / failed", (outcomes.dropped.get() - droppedBefore) + " / "
					+ (outcomes.failed.get() - failedBefore));
			row("chat.postMessage accepted", slack.posts.get() - postsBefore);
			row("chat.update accepted", slack.updates.get() - updatesBefore);
			row("429s received", slack.rateLimited.get() - rateLimitedBefore);
			row("per-replica order violations", violations(slack));
			row("active time (s)", String.format("%.1f", activeSeconds));
			row("Redis commands, active", commands);
			row("Redis commands per transition", String.format("%.2f", (double) commands / transitions));
			row("quiet, " + breakers + " threads open (s)", String.format("%.1f", quietSeconds));
			row("  Redis commands per second", String.format("%.2f", commandsPerSecond));
			row("  requests per second", String.format("%.2f", requestsPerSecond));
			row("  Redis CPU (µs per second)", String.format("%.0f", cpuPerSecond));
			row("Redis commands per transition, net",
					String.format("%.2f", (commands - commandsPerSecond * activeSeconds) / transitions));
			row("requests per transition", String.format("%.2f", (double) requestsActive / transitions));
			row("requests per transition, net",
					String.format("%.2f", (requestsActive - requestsPerSecond * activeSeconds) / transitions));
			row("Redis CPU per transition (µs)", String.format("%.0f", cpuActive / transitions));
			row("Redis CPU per transition, net (µs)",
					String.format("%.0f", (cpuActive - cpuPerSecond * activeSeconds) / transitions));
			row("store call median / p99 (ms)", outcomes.storeLatency());
			row("store fallbacks", outcomes.storeFallbacks.get() - fallbacksBefore);
			System.out.println("  Redis commands per transition by command (raw): "
					+ RedisStats.perUnit(activeCalls, transitions, 10));
			System.out.println("  Redis commands per second by command (quiet): "
					+ RedisStats.perUnit(quietCalls, quietSeconds, 10));
		}
	}

	/**
	 * Run transitions {@code from} (inclusive) to {@code to} (exclusive) of every breaker's cycle, one every
	 * {@code spacing}: each transition on every breaker, each breaker on every replica in turn.
	 */
	private static void steps(CircuitBreaker[][] breakersOf, int from, int to, Duration spacing)
			throws InterruptedException {
		long start = System.nanoTime();
		long step = 0;
		for (int t = from; t < to; t++) {
			for (int i = 0; i < breakersOf[0].length; i++) {
				for (CircuitBreaker[] replica : breakersOf) {
					sleepUntil(start + step++ * spacing.toNanos());
					transition(replica[i], t);
				}
			}
		}
	}

	private static void transition(CircuitBreaker circuitBreaker, int t) {
		switch (t) {
			case 0, 2 -> circuitBreaker.transitionToOpenState();
			case 1, 3 -> circuitBreaker.transitionToHalfOpenState();
			default -> circuitBreaker.transitionToClosedState();
		}
	}

	/**
	 * Wait until every transition is accounted for and nothing is pending, then until Slack has had no request for
	 * a second, so that what a message causes in Redis after it is sent is counted with it.
	 */
	private static void awaitDrained(SlackServer slack, List<AsyncSlackListener> listeners,
			Storm.Outcomes outcomes, BooleanSupplier done, int expected) throws InterruptedException {
		long limit = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while ((!done.getAsBoolean() || listeners.stream().mapToInt(AsyncSlackListener::getPending).sum() > 0)
				&& System.nanoTime() < limit) {
			Thread.sleep(20);
		}
		if (!done.getAsBoolean()) {
			System.out.println("  (gave up waiting for " + expected + " transitions to be accounted for: "
					+ outcomes.accounted() + ")");
		}
		int last = -1;
		while (slack.posts.get() + slack.updates.get() != last) {
			last = slack.posts.get() + slack.updates.get();
			Thread.sleep(1000);
		}
	}

	private static void sleepUntil(long nanos) throws InterruptedException {
		long wait = nanos - System.nanoTime();
		if (wait > 0) {
			Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
		}
	}

	/**
	 * Messages of a breaker (per replica) whose transition does not start where the previous one ended, as
	 * {@link Storm} counts them.
	 */
	private static int violations(SlackServer slack) {
		int violations = 0;
		for (Map.Entry<String, List<String>> entry : slack.transitionsByBreaker.entrySet()) {
			if (!entry.getKey().startsWith("service-")) {
				continue;
			}
			String previous = null;
			for (String transition : List.copyOf(entry.getValue())) {
				String from = transition.substring(0, transition.indexOf(" → "));
				if (previous != null && !previous.equals(from)) {
					violations++;
				}
				previous = transition.substring(transition.indexOf(" → ") + 3);
			}
		}
		return violations;
	}

	private static void row(String name, Object value) {
		System.out.printf("  %-36s %12s%n", name, value);
	}

}
