package dev.fluxgate.slack.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.redis.RedisServer;
import dev.fluxgate.slack.redis.RedisThreadStore;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

/**
 * The cost of one scrape of the {@code fluxgate.slack.threads.active} gauge, which asks the listener's store for
 * {@code count()}: with {@code store=redis} a {@link FallbackThreadStore} around a {@link RedisThreadStore}. The
 * store holds the given number of open threads (and, optionally, other keys of the application in the same
 * database); each scrape is timed on its own after a warm-up.
 */
final class Scrape {

	private static final String PREFIX = "fluxgate:slack";

	private Scrape() {
	}

	static void run(int threads, int calls, int otherKeys) throws Exception {
		try (RedisServer server = RedisServer.started()) {
			AtomicLong requests = new AtomicLong();
			AtomicInteger fallbacks = new AtomicInteger();
			ReactiveStringRedisTemplate template = server.template(RedisStats.requestCounter(requests));
			ThreadStore store = new FallbackThreadStore(
					new RedisThreadStore(template, PREFIX, Duration.ofDays(1), Duration.ofSeconds(1)),
					() -> new DeliveryObserver() {

						@Override
						public void storeFellBack(String operation, Throwable cause) {
							fallbacks.incrementAndGet();
						}

					});
			// The threads are written straight to Redis with a generous timeout: through the fallback, a create that
			// outlasted the store's timeout on a busy machine would be kept in memory too, and counted twice.
			RedisThreadStore writer = new RedisThreadStore(server.template(), PREFIX, Duration.ofDays(1),
					Duration.ofSeconds(30));
			Instant now = Instant.now();
			long created = Flux.range(0, threads)
				.flatMap((i) -> writer.create(SlackThread.started(
						new TransitionSnapshot(String.format("service-%04d", i),
								Transition.of(State.CLOSED, State.OPEN), now),
						"C0SCRAPE", String.format("1700000000.%06d", i + 1))), 16)
				.filter(Boolean::booleanValue)
				.count()
				.block();
			// Connect the store that is scraped: a connection's first request may outlast its timeout.
			for (int i = 0; i < 20; i++) {
				int before = fallbacks.get();
				store.count().block();
				if (fallbacks.get() == before) {
					break;
				}
			}
			int fallbacksConnecting = fallbacks.get();
			if (otherKeys > 0) {
				ReactiveStringRedisTemplate other = server.template();
				Flux.range(0, otherKeys).buffer(1000).concatMap((chunk) -> {
					Map<String, String> values = new LinkedHashMap<>();
					chunk.forEach((i) -> values.put(String.format("app:key:%08d", i), "x"));
					return other.opsForValue().multiSet(values);
				}).blockLast();
			}
			RedisStats stats = new RedisStats(server.template());
			int warmUp = Math.max(20, calls / 10);
			long counted = -1;
			for (int i = 0; i < warmUp; i++) {
				counted = store.count().block();
			}
			long requestsBefore = requests.get();
			RedisStats.Snapshot before = stats.take();
			long[] nanos = new long[calls];
			for (int i = 0; i < calls; i++) {
				long start = System.nanoTime();
				counted = store.count().block();
				nanos[i] = System.nanoTime() - start;
			}
			RedisStats.Snapshot after = stats.take();
			long requestsAfter = requests.get();
			long[] sorted = nanos.clone();
			Arrays.sort(sorted);

			System.out.println();
			System.out.println("Scrape of fluxgate.slack.threads.active: FallbackThreadStore(RedisThreadStore).count()"
					+ ".block(), " + threads + " open threads" + ((otherKeys > 0) ? " and " + otherKeys
							+ " other keys in the database" : "") + ", " + calls + " scrapes after " + warmUp
					+ " to warm up; redis-server on loopback");
			row("threads created", created);
			row("count() answered", counted + ((counted != threads) ? " (not the threads created!)" : ""));
			row("scrapes timed", calls);
			row("latency median (ms)", String.format("%.3f", percentile(sorted, 0.50) / 1e6));
			row("latency p99 (ms)", String.format("%.3f", percentile(sorted, 0.99) / 1e6));
			row("latency mean / max (ms)", String.format("%.3f / %.3f",
					Arrays.stream(nanos).average().orElse(0) / 1e6, sorted[sorted.length - 1] / 1e6));
			row("Redis commands per scrape", String.format("%.2f", (double) after.commandsSince(before) / calls));
			row("store fallbacks: connecting / scraping", fallbacksConnecting + " / "
					+ (fallbacks.get() - fallbacksConnecting));
			row("Redis CPU per scrape (µs)", String.format("%.1f", after.cpuMicrosSince(before) / calls));
			row("requests per scrape", String.format("%.2f", (double) (requestsAfter - requestsBefore) / calls));
			System.out.println("  Redis commands per scrape by command: "
					+ RedisStats.perUnit(after.callsSince(before), calls, 10));
		}
	}

	private static long percentile(long[] sorted, double quantile) {
		return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * quantile) - 1)];
	}

	private static void row(String name, Object value) {
		System.out.printf("  %-36s %12s%n", name, value);
	}

}
