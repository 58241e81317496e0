package dev.fluxgate.slack.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.redis.RedisDigestStore;
import dev.fluxgate.slack.redis.RedisServer;
import dev.fluxgate.slack.redis.RedisSharedPace;
import dev.fluxgate.slack.redis.RedisThreadStore;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A storm: many breakers on one channel, each going through a whole failure cycle within ten seconds, against a
 * Slack stand-in with 50 ms latency that enforces Slack's limit of about one message per second per channel.
 */
final class Storm {

	/** The states of each breaker's failure cycle in the storm, in the order it goes through them. */
	private static final List<String> CYCLE = List.of("CLOSED", "OPEN", "HALF_OPEN", "OPEN", "CLOSED");

	private Storm() {
	}

	static void run(int breakers, Duration within) throws Exception {
		run(breakers, within, 1, false);
	}

	/**
	 * Run a storm on one replica or several: with Redis, each replica has its own listener, Redis connection and
	 * instance id, and they share the threads and the channel's pace.
	 */
	static void run(int breakers, Duration within, int replicas, boolean redis) throws Exception {
		try (SlackServer slack = new SlackServer(Duration.ofMillis(50), 1.0, 5);
				RedisServer server = redis ? RedisServer.started() : null) {
			Outcomes outcomes = new Outcomes();
			List<AsyncSlackListener> listeners = new ArrayList<>();
			for (int replica = 1; replica <= replicas; replica++) {
				AsyncSlackListener.Builder builder = AsyncSlackListener.builder()
					.channel("C0STORM")
					.token("xoxb-bench")
					.baseUrl(slack.baseUrl())
					.pacer(ChannelPacer.slackDefault())
					.observer(outcomes);
				if (server != null) {
					ReactiveStringRedisTemplate template = server.template();
					builder.threadStore(new FallbackThreadStore(new RedisThreadStore(template, "fluxgate:slack",
							Duration.ofDays(1), Duration.ofSeconds(1)), () -> outcomes))
						.pacer(ChannelPacer.slackDefault()
							.sharedBy(new RedisSharedPace(template, "fluxgate:slack", Duration.ofSeconds(1))))
						.digestStore(new RedisDigestStore(template, "fluxgate:slack", Duration.ofDays(1),
								Duration.ofSeconds(1)))
						.fleet("replica-" + replica, Duration.ofSeconds(10));
				}
				listeners.add(builder.build());
			}
			long commandsBefore = (server != null) ? server.commandsProcessed() : 0;
			AtomicInteger produced = new AtomicInteger();
			List<CircuitBreaker> circuitBreakers = new ArrayList<>();
			for (AsyncSlackListener listener : listeners) {
				for (int i = 0; i < breakers; i++) {
					CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(String.format("service-%04d", i));
					listener.bindTo(circuitBreaker);
					circuitBreaker.getEventPublisher().onStateTransition((event) -> produced.incrementAndGet());
					circuitBreakers.add(circuitBreaker);
				}
			}
			IntSupplier pending = () -> listeners.stream().mapToInt(AsyncSlackListener::getPending).sum();
			MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			System.gc();
			long heapBefore = memory.getHeapMemoryUsage().getUsed();
			AtomicLong peakHeap = new AtomicLong();
			AtomicInteger peakPending = new AtomicInteger();
			AtomicLong backloggedUntil = new AtomicLong();
			AtomicInteger postsWhileBacklogged = new AtomicInteger();
			long start = System.nanoTime();
			ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
			executor.scheduleAtFixedRate(() -> {
				int waiting = pending.getAsInt();
				peakPending.accumulateAndGet(waiting, Math::max);
				peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
				if (waiting > 0) {
					backloggedUntil.set(System.nanoTime());
					postsWhileBacklogged.set(slack.posts.get());
				}
			}, 0, 10, TimeUnit.MILLISECONDS);
			Random random = new Random(42);
			long cycle = 2500;
			long[] starts = new long[breakers];
			for (int i = 0; i < breakers; i++) {
				starts[i] = (long) (random.nextDouble() * (within.toMillis() - cycle - 300));
			}
			for (int i = 0; i < circuitBreakers.size(); i++) {
				CircuitBreaker circuitBreaker = circuitBreakers.get(i);
				long at = starts[i % breakers] + ((replicas > 1) ? random.nextInt(300) : 0);
				executor.schedule(circuitBreaker::transitionToOpenState, at, TimeUnit.MILLISECONDS);
				executor.schedule(circuitBreaker::transitionToHalfOpenState, at + 1000, TimeUnit.MILLISECONDS);
				executor.schedule(circuitBreaker::transitionToOpenState, at + 1500, TimeUnit.MILLISECONDS);
				executor.schedule(circuitBreaker::transitionToClosedState, at + cycle, TimeUnit.MILLISECONDS);
			}
			long limit = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			while ((produced.get() < breakers * 4 * replicas || pending.getAsInt() > 0
					|| outcomes.accounted() < produced.get())
					&& System.nanoTime() < limit) {
				Thread.sleep(100);
			}
			int lastRequests = -1;
			while (slack.posts.get() + slack.updates.get() != lastRequests && System.nanoTime() < limit) {
				lastRequests = slack.posts.get() + slack.updates.get();
				Thread.sleep(12_000);
			}
			long drained = System.nanoTime() - start - ((slack.posts.get() + slack.updates.get() == lastRequests)
					? Duration.ofSeconds(12).toNanos() : 0);
			executor.shutdownNow();
			long commands = (server != null) ? server.commandsProcessed() - commandsBefore : 0;
			listeners.forEach(AsyncSlackListener::close);
			// each breaker's posted transitions, per replica, must come in the order its cycle went through them (a
			// coalesced message spans several, "HALF_OPEN → CLOSED"); one told in a digest or only in the root's edit
			// leaves a gap, which is no violation
			int violations = 0;
			List<String> examples = new ArrayList<>();
			for (Map.Entry<String, List<String>> entry : slack.transitionsByBreaker.entrySet()) {
				int at = 0;
				for (String transition : entry.getValue()) {
					String from = transition.substring(0, transition.indexOf(" → "));
					String to = transition.substring(transition.lastIndexOf(" → ") + 3);
					int first = indexOf(from, at);
					int last = (first < 0) ? -1 : indexOf(to, first + 1);
					if (last < 0) {
						violations++;
						if (examples.size() < 3) {
							examples.add(entry.getKey() + ": " + entry.getValue());
						}
						break;
					}
					at = last;
				}
			}
			System.out.println();
			System.out.println("Storm: " + breakers + " breakers on one channel" + ((replicas > 1)
					? " on each of " + replicas + " replicas sharing one Redis" : (redis) ? ", threads in Redis" : "")
					+ ", each a full failure cycle (4 transitions) within " + within.toSeconds()
					+ " s; Slack stand-in at 50 ms latency enforcing 1 message/s (burst 5), 429 with Retry-After beyond");
			row("transitions produced", produced.get());
			row("  delivered (own message)", outcomes.delivered.get());
			row("  coalesced into a reply", outcomes.coalesced.get());
			row("  digested", outcomes.digested.get());
			row("  dropped", outcomes.dropped.get());
			row("  failed", outcomes.failed.get());
			row("  sum", outcomes.accounted());
			row("chat.postMessage accepted", slack.posts.get());
			slack.postsByKind.forEach((kind, count) -> row("  " + kind, count.get()));
			row("breakers with a thread / with two or more", slack.rootsByBreaker.size() + " / "
					+ slack.rootsByBreaker.values().stream().filter((roots) -> roots > 1).count());
			row("chat.update accepted", slack.updates.get());
			row("429s received (one channel)", slack.rateLimited.get());
			row("digest roots", slack.digestRoots.get());
			double backloggedSeconds = (backloggedUntil.get() - start) / 1e9;
			row("rate while backlogged (msg/s)", String.format("%.2f over %.0f s", postsWhileBacklogged.get() / backloggedSeconds,
					backloggedSeconds));
			row("breakers told out of order", violations);
			examples.forEach((example) -> System.out.println("    " + example));
			row("time to drain (s)", String.format("%.1f", drained / 1e9));
			row("peak pending", peakPending.get());
			row("peak heap above start (MiB)", String.format("%.1f", (peakHeap.get() - heapBefore) / 1048576.0));
			if (server != null) {
				row("Redis commands per transition", String.format("%.2f", (double) commands / produced.get()));
				row("store call median / p99 (ms)", outcomes.storeLatency());
				row("store fallbacks", outcomes.storeFallbacks.get());
			}
		}
	}

	/** Where a state comes in the cycle at or after a place in it, or -1. */
	private static int indexOf(String state, int from) {
		for (int i = from; i < CYCLE.size(); i++) {
			if (CYCLE.get(i).equals(state)) {
				return i;
			}
		}
		return -1;
	}

	private static void row(String name, Object value) {
		System.out.printf("  %-32s %12s%n", name, value);
	}

	static final class Outcomes implements DeliveryObserver {

		final AtomicInteger delivered = new AtomicInteger();

		final AtomicInteger coalesced = new AtomicInteger();

		final AtomicInteger digested = new AtomicInteger();

		final AtomicInteger dropped = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		final AtomicInteger storeFallbacks = new AtomicInteger();

		final Queue<Long> storeNanos = new ConcurrentLinkedQueue<>();

		String storeLatency() {
			long[] sorted = this.storeNanos.stream().mapToLong(Long::longValue).sorted().toArray();
			if (sorted.length == 0) {
				return "n/a";
			}
			return String.format("%.2f / %.2f", sorted[sorted.length / 2] / 1e6,
					sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6);
		}

		@Override
		public void storeRequested(String operation, Duration took, String outcome) {
			this.storeNanos.add(took.toNanos());
		}

		@Override
		public void storeFellBack(String operation, Throwable cause) {
			this.storeFallbacks.incrementAndGet();
		}

		int accounted() {
			return this.delivered.get() + this.coalesced.get() + this.digested.get() + this.dropped.get()
					+ this.failed.get();
		}

		@Override
		public void delivered(TransitionSnapshot snapshot, Duration took) {
			this.delivered.incrementAndGet();
		}

		@Override
		public void failed(TransitionSnapshot snapshot, SlackApiException failure) {
			this.failed.incrementAndGet();
		}

		@Override
		public void dropped(TransitionSnapshot snapshot) {
			this.dropped.incrementAndGet();
		}

		@Override
		public void coalesced(TransitionSnapshot snapshot) {
			this.coalesced.incrementAndGet();
		}

		@Override
		public void digested(TransitionSnapshot snapshot) {
			this.digested.incrementAndGet();
		}

	}

}
