package dev.fluxgate.slack.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Sentinel on loopback, as users run Redis for failover: one {@code redis-server} master and one
 * {@code redis-sentinel} monitoring it as {@value #MASTER}, started before a test class and stopped, with the
 * sentinel's files, after it. Needs Debian's {@code redis-server}, {@code redis-sentinel} and {@code redis-tools};
 * test classes say so with {@code @RequiresPrograms({RedisServer.PROGRAM, RedisSentinel.PROGRAM, RedisCluster.CLI})}.
 */
public final class RedisSentinel implements BeforeAllCallback, AfterAllCallback {

	public static final String PROGRAM = "/usr/bin/redis-sentinel";

	/** The name the sentinel monitors the master by, as {@code spring.data.redis.sentinel.master} takes it. */
	public static final String MASTER = "mymaster";

	private final RedisServer master = new RedisServer();

	private Process sentinel;

	private int port;

	private Path directory;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	public void start() throws IOException {
		this.master.start();
		this.directory = Files.createTempDirectory("fluxgate-redis-sentinel");
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		Path configuration = this.directory.resolve("sentinel.conf");
		Files.writeString(configuration, String.join("\n", "port " + this.port, "bind 127.0.0.1",
				"dir " + this.directory, "sentinel monitor " + MASTER + " 127.0.0.1 " + this.master.port() + " 1",
				"sentinel down-after-milliseconds " + MASTER + " 1000", ""));
		this.sentinel = new ProcessBuilder(PROGRAM, configuration.toString()).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("sentinel.log").toFile())
			.start();
		Process started = this.sentinel;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
		List<String> address = List.of("127.0.0.1", String.valueOf(this.master.port()));
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> RedisCluster.cli(this.port, "sentinel", "get-master-addr-by-name", MASTER).lines().toList()
				.equals(address));
	}

	public void stop() {
		if (this.sentinel != null) {
			this.sentinel.destroy();
			try {
				if (!this.sentinel.waitFor(10, TimeUnit.SECONDS)) {
					this.sentinel.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.sentinel = null;
		}
		this.master.stop();
		if (this.directory != null) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.directory = null;
		}
	}

	/** The name the sentinel monitors the master by. */
	public String master() {
		return MASTER;
	}

	/** The sentinels as {@code spring.data.redis.sentinel.nodes} takes them, such as {@code 127.0.0.1:26379}. */
	public String sentinelNodes() {
		return "127.0.0.1:" + this.port;
	}

	/** The master itself, for a direct connection that bypasses the sentinel. */
	public RedisServer masterServer() {
		return this.master;
	}

}
