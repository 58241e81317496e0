package dev.fluxgate.slack.benchmarks;

import java.time.Duration;

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
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String only = (args.length > 0) ? args[0] : "all";
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
