package dev.fluxgate.slack.benchmarks;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * What a {@code redis-server} processed between two moments, read from {@code INFO stats}
 * ({@code total_commands_processed}) and {@code INFO commandstats}, without the {@code INFO} calls made to read them.
 * Redis counts the commands a Lua script runs ({@code redis.call}) as well as the script's own {@code EVALSHA}: these
 * are the server's commands, not the client's requests, which {@link #requestCounter(AtomicLong)} counts. The
 * server's CPU time ({@code INFO cpu}) weighs them.
 */
final class RedisStats {

	private static final Pattern CALLS = Pattern.compile("calls=(\\d+)");

	private final ReactiveStringRedisTemplate template;

	private long infoCalls;

	/**
	 * Read the stats over a connection of their own, whose {@code INFO} calls are left out of every difference.
	 * @param template a template that sends nothing else
	 */
	RedisStats(ReactiveStringRedisTemplate template) {
		this.template = template;
	}

	/** A listener that counts the requests a client sends, one per command it writes to the connection. */
	static CommandListener requestCounter(AtomicLong requests) {
		return new CommandListener() {

			@Override
			public void commandStarted(CommandStartedEvent event) {
				requests.incrementAndGet();
			}

		};
	}

	Snapshot take() {
		long callsBefore = this.infoCalls;
		long nanos = System.nanoTime();
		Properties stats = info("stats");
		Properties cpu = info("cpu");
		Properties commandStats = info("commandstats");
		Map<String, Long> calls = new HashMap<>();
		for (String name : commandStats.stringPropertyNames()) {
			if (name.startsWith("cmdstat_") && !name.equals("cmdstat_info")) {
				Matcher matcher = CALLS.matcher(commandStats.getProperty(name));
				if (matcher.find()) {
					calls.put(name.substring("cmdstat_".length()), Long.parseLong(matcher.group(1)));
				}
			}
		}
		double cpuSeconds = Double.parseDouble(cpu.getProperty("used_cpu_user").trim())
				+ Double.parseDouble(cpu.getProperty("used_cpu_sys").trim());
		return new Snapshot(Long.parseLong(stats.getProperty("total_commands_processed").trim()), callsBefore, calls,
				cpuSeconds, nanos);
	}

	private Properties info(String section) {
		this.infoCalls++;
		return this.template.execute((connection) -> connection.serverCommands().info(section)).blockLast();
	}

	/**
	 * The server's counters at one moment.
	 * @param total {@code total_commands_processed}, which counts every {@code INFO} call before this one
	 * @param infoCalls how many {@code INFO} calls were made before this snapshot's
	 * @param calls the calls of each command but {@code INFO} ({@code INFO commandstats})
	 * @param cpuSeconds the CPU time the server used so far, user and system ({@code INFO cpu})
	 * @param nanos when it was taken ({@link System#nanoTime()})
	 */
	record Snapshot(long total, long infoCalls, Map<String, Long> calls, double cpuSeconds, long nanos) {

		/** The commands processed since an earlier snapshot, its own and the later {@code INFO} calls left out. */
		long commandsSince(Snapshot earlier) {
			return this.total - earlier.total - (this.infoCalls - earlier.infoCalls);
		}

		/** The server's CPU time since an earlier snapshot, in microseconds, its own cron and the INFO calls included. */
		double cpuMicrosSince(Snapshot earlier) {
			return (this.cpuSeconds - earlier.cpuSeconds) * 1e6;
		}

		double secondsSince(Snapshot earlier) {
			return (this.nanos - earlier.nanos) / 1e9;
		}

		/** The calls of each command since an earlier snapshot. */
		Map<String, Long> callsSince(Snapshot earlier) {
			Map<String, Long> delta = new HashMap<>();
			this.calls.forEach((name, count) -> {
				long since = count - earlier.calls.getOrDefault(name, 0L);
				if (since > 0) {
					delta.put(name, since);
				}
			});
			return delta;
		}

	}

	/** Sum two differences of calls by command. */
	static Map<String, Long> plus(Map<String, Long> a, Map<String, Long> b) {
		Map<String, Long> sum = new HashMap<>(a);
		b.forEach((name, count) -> sum.merge(name, count, Long::sum));
		return sum;
	}

	/** The busiest commands, each divided by a count, such as {@code evalsha 2.00, hget 1.50}. */
	static String perUnit(Map<String, Long> calls, double units, int limit) {
		if (calls.isEmpty()) {
			return "none";
		}
		return calls.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
				.thenComparing(Map.Entry.comparingByKey()))
			.limit(limit)
			.map((entry) -> String.format("%s %.2f", entry.getKey(), entry.getValue() / units))
			.collect(Collectors.joining(", "));
	}

}
