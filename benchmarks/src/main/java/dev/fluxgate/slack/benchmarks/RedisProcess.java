package dev.fluxgate.slack.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.event.command.CommandListener;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A {@code redis-server} on a free loopback port, without persistence, for the benchmarks of the Redis store.
 */
final class RedisProcess implements AutoCloseable {

	private static final Path PROGRAM = Path.of("/usr/bin/redis-server");

	private final Process process;

	private final int port;

	private final List<LettuceConnectionFactory> connections = new CopyOnWriteArrayList<>();

	RedisProcess() throws IOException, InterruptedException {
		if (!Files.isExecutable(PROGRAM)) {
			throw new IllegalStateException("The Redis benchmarks need " + PROGRAM + ": apt-get install redis-server");
		}
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.process = new ProcessBuilder(PROGRAM.toString(), "--port", String.valueOf(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!accepting()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("redis-server did not start on port " + this.port);
			}
			Thread.sleep(20);
		}
	}

	/** A template over a connection of its own, as each replica has. */
	ReactiveStringRedisTemplate template() {
		return template(null);
	}

	/**
	 * A template over a connection of its own whose commands are told to a listener, to count the requests a client
	 * sends (a script is one request, however many commands it runs in Redis).
	 */
	ReactiveStringRedisTemplate template(CommandListener listener) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", this.port));
		factory.afterPropertiesSet();
		factory.start();
		if (listener != null) {
			factory.getRequiredNativeClient().addListener(listener);
		}
		this.connections.add(factory);
		return new ReactiveStringRedisTemplate(factory);
	}

	/** How many commands the server processed so far. */
	long commandsProcessed(ReactiveStringRedisTemplate template) {
		String stats = template.execute((connection) -> connection.serverCommands().info("stats"))
			.blockLast()
			.getProperty("total_commands_processed");
		return Long.parseLong(stats.trim());
	}

	private boolean accepting() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.connections.forEach(LettuceConnectionFactory::destroy);
		this.process.destroy();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

}
