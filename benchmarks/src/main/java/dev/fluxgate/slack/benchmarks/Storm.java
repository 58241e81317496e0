package dev.fluxgate.slack.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.DeliveryObserver;
import dev.fluxgate.slack.TransitionSnapshot;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.delivery.ChannelPacer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A storm: many breakers on one channel, each going through a whole failure cycle within ten seconds, against a
 * Slack stand-in with 50 ms latency that enforces Slack's limit of about one message per second per channel.
 */
final class Storm {

	private Storm() {
	}

	static void run(int breakers, Duration within) throws Exception {
		try (SlackServer slack = new SlackServer(Duration.ofMillis(50), 1.0, 5)) {
			Outcomes outcomes = new Outcomes();
			AsyncSlackListener listener = AsyncSlackListener.builder()
				.channel("C0STORM")
				.token("xoxb-bench")
				.baseUrl(slack.baseUrl())
				.pacer(ChannelPacer.slackDefault())
				.observer(outcomes)
				.build();
			AtomicInteger produced = new AtomicInteger();
			List<CircuitBreaker> circuitBreakers = new ArrayList<>();
			for (int i = 0; i < breakers; i++) {
				CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(String.format("service-%04d", i));
				listener.bindTo(circuitBreaker);
				circuitBreaker.getEventPublisher().onStateTransition((event) -> produced.incrementAndGet());
				circuitBreakers.add(circuitBreaker);
			}
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
				int pending = listener.getPending();
				peakPending.accumulateAndGet(pending, Math::max);
				peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
				if (pending > 0) {
					backloggedUntil.set(System.nanoTime());
					postsWhileBacklogged.set(slack.posts.get());
				}
			}, 0, 10, TimeUnit.MILLISECONDS);
			Random random = new Random(42);
			long cycle = 2500;
			for (CircuitBreaker circuitBreaker : circuitBreakers) {
				long at = (long) (random.nextDouble() * (within.toMillis() - cycle));
				executor.schedule(circuitBreaker::transitionToOpenState, at, TimeUnit.MILLISECONDS);
				executor.schedule(circuitBreaker::transitionToHalfOpenState, at + 1000, TimeUnit.MILLISECONDS);
				executor.schedule(circuitBreaker::transitionToOpenState, at + 1500, TimeUnit.MILLISECONDS);
				executor.schedule(circuitBreaker::transitionToClosedState, at + cycle, TimeUnit.MILLISECONDS);
			}
			long limit = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			while ((produced.get() < breakers * 4 || listener.getPending() > 0 || outcomes.accounted() < produced.get())
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
			listener.close();
			int violations = 0;
			for (Map.Entry<String, List<String>> entry : slack.transitionsByBreaker.entrySet()) {
				String previous = null;
				for (String transition : entry.getValue()) {
					String from = transition.substring(0, transition.indexOf(" → "));
					if (previous != null && !previous.equals(from)) {
						violations++;
					}
					previous = transition.substring(transition.indexOf(" → ") + 3);
				}
			}
			System.out.println();
			System.out.println("Storm: " + breakers + " breakers on one channel, each a full failure cycle (4 transitions) "
					+ "within " + within.toSeconds() + " s; Slack stand-in at 50 ms latency enforcing 1 message/s "
					+ "(burst 5), 429 with Retry-After beyond");
			row("transitions produced", produced.get());
			row("  delivered (own message)", outcomes.delivered.get());
			row("  coalesced into a reply", outcomes.coalesced.get());
			row("  digested", outcomes.digested.get());
			row("  dropped", outcomes.dropped.get());
			row("  failed", outcomes.failed.get());
			row("  sum", outcomes.accounted());
			row("chat.postMessage accepted", slack.posts.get());
			row("chat.update accepted", slack.updates.get());
			row("429s received (one channel)", slack.rateLimited.get());
			double backloggedSeconds = (backloggedUntil.get() - start) / 1e9;
			row("rate while backlogged (msg/s)", String.format("%.2f over %.0f s", postsWhileBacklogged.get() / backloggedSeconds,
					backloggedSeconds));
			row("per-breaker order violations", violations);
			row("time to drain (s)", String.format("%.1f", drained / 1e9));
			row("peak pending", peakPending.get());
			row("peak heap above start (MiB)", String.format("%.1f", (peakHeap.get() - heapBefore) / 1048576.0));
		}
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
