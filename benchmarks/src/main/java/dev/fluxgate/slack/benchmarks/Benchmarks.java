package dev.fluxgate.slack.benchmarks;

import java.time.Duration;
import java.util.List;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks side by side and prints their tables: per-call overhead, caller-thread cost of a transition
 * (both JMH, with the GC profiler), then the storm. {@code java -jar benchmarks.jar storm} runs the storm alone,
 * {@code java -jar benchmarks.jar jmh} the JMH benchmarks alone, and {@code java -jar benchmarks.jar fleet} a smaller
 * storm on one replica in memory, one replica with Redis, and three replicas sharing one Redis (needs
 * {@code redis-server}).
 * <p>
 * Two more measure Redis alone (both need {@code redis-server}): {@code java -jar benchmarks.jar quiet [breakers]
 * [spacing ms] [quiet s]} the commands per transition outside storms, on one replica and on three (see
 * {@link Quiet}), and {@code java -jar benchmarks.jar scrape [threads] [scrapes] [other keys]} the cost of one scrape of
 * the open-threads gauge (see {@link Scrape}).
 */
public final class Benchmarks {

	private static final List<String> MODES = List.of("all", "jmh", "storm", "fleet", "fleet-only", "quiet", "scrape");

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String only = (args.length > 0) ? args[0] : "all";
		if (!MODES.contains(only)) {
			System.err.println("Unknown mode '" + only + "': use one of " + String.join(", ", MODES)
					+ " (see benchmarks/README.md)");
			System.exit(2);
		}
		if (only.equals("quiet")) {
			int breakers = (args.length > 1) ? Integer.parseInt(args[1]) : 20;
			Duration spacing = (args.length > 2) ? Duration.ofMillis(Long.parseLong(args[2]))
					: Quiet.defaultSpacing(breakers);
			Quiet.run(breakers, spacing, Duration.ofSeconds((args.length > 3) ? Long.parseLong(args[3]) : 20));
			return;
		}
		if (only.equals("scrape")) {
			Scrape.run((args.length > 1) ? Integer.parseInt(args[1]) : 1000,
					(args.length > 2) ? Integer.parseInt(args[2]) : 200,
					(args.length > 3) ? Integer.parseInt(args[3]) : 0);
			return;
		}
		if (!only.equals("storm") && !only.startsWith("fleet")) {
			Options options = new OptionsBuilder().include(CallOverheadBenchmark.class.getSimpleName())
				.include(TransitionCostBenchmark.class.getSimpleName())
				.forks(1)
				.warmupIterations(2)
				.warmupTime(TimeValue.seconds(2))
				.measurementIterations(3)
				.measurementTime(TimeValue.seconds(2))
				.jvmArgsAppend("-Xmx4g")
				.addProfiler(GCProfiler.class)
				.build();
			new Runner(options).run();
		}
		if (only.equals("fleet")) {
			int breakers = (args.length > 1) ? Integer.parseInt(args[1]) : 200;
			Storm.run(breakers, Duration.ofSeconds(10), 1, false);
			Storm.run(breakers, Duration.ofSeconds(10), 1, true);
			Storm.run(breakers, Duration.ofSeconds(10), 3, true);
			return;
		}
		if (only.equals("fleet-only")) {
			Storm.run((args.length > 1) ? Integer.parseInt(args[1]) : 200, Duration.ofSeconds(10), 3, true);
			return;
		}
		if (!only.equals("jmh")) {
			Storm.run(1000, Duration.ofSeconds(10));
		}
	}

}
