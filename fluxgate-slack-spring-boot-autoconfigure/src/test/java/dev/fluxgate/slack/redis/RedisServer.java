package dev.fluxgate.slack.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, started before a test class and stopped
 * by its process after it, or {@link #started() started} and closed by the benchmarks. Needs Debian's
 * {@code redis-server}; test classes say so with {@code @RequiresPrograms}.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	public static final String PROGRAM = "/usr/bin/redis-server";

	private final List<LettuceConnectionFactory> templateConnections = new CopyOnWriteArrayList<>();

	private Process process;

	private int port;

	private LettuceConnectionFactory connectionFactory;

	private volatile boolean paused;

	/**
	 * A server started now, outside JUnit, such as the benchmarks'; {@link #close() close} it to stop it.
	 * @return the running server
	 * @throws IOException if the process cannot be started
	 * @throws IllegalStateException if {@value #PROGRAM} is missing
	 */
	public static RedisServer started() throws IOException {
		if (!Files.isExecutable(Path.of(PROGRAM))) {
			throw new IllegalStateException("install redis-server (Debian: apt-get install redis-server): " + PROGRAM
					+ " is missing or not executable");
		}
		RedisServer server = new RedisServer();
		server.start();
		return server;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	public void start() throws IOException {
		if (this.port == 0) {
			try (ServerSocket socket = new ServerSocket(0)) {
				this.port = socket.getLocalPort();
			}
		}
		this.process = new ProcessBuilder(PROGRAM, "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no").redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		Process started = this.process;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!accepting()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("redis-server did not start on port " + this.port);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted waiting for redis-server on port " + this.port, ex);
			}
		}
	}

	public void stop() {
		this.templateConnections.forEach(LettuceConnectionFactory::destroy);
		this.templateConnections.clear();
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
			this.connectionFactory = null;
		}
		if (this.process != null) {
			if (this.paused) {
				resume();
			}
			this.process.destroy();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	public int port() {
		return this.port;
	}

	/** The process id of the running server. */
	public long pid() {
		return this.process.pid();
	}

	/** A connection factory to this server, made once. */
	public LettuceConnectionFactory connectionFactory() {
		if (this.connectionFactory == null) {
			this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.port));
			this.connectionFactory.afterPropertiesSet();
			this.connectionFactory.start();
		}
		return this.connectionFactory;
	}

	/** A connection factory of its own, such as each replica of a fleet has; the caller destroys it. */
	public LettuceConnectionFactory newConnectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", this.port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** A template over a connection of its own, as each replica has, closed when the server stops. */
	public ReactiveStringRedisTemplate template() {
		return template(null);
	}

	/**
	 * A template over a connection of its own, closed when the server stops, whose commands are told to a listener:
	 * to count the requests a client sends (a script is one request, however many commands it runs in Redis).
	 * @param listener the listener, or {@code null}
	 * @return the template
	 */
	public ReactiveStringRedisTemplate template(CommandListener listener) {
		LettuceConnectionFactory factory = newConnectionFactory();
		if (listener != null) {
			factory.getRequiredNativeClient().addListener(listener);
		}
		this.templateConnections.add(factory);
		return new ReactiveStringRedisTemplate(factory);
	}

	/** How many commands the server processed so far ({@code total_commands_processed}), this question included. */
	public long commandsProcessed() {
		String processed = new ReactiveStringRedisTemplate(connectionFactory())
			.execute((connection) -> connection.serverCommands().info("stats"))
			.blockLast()
			.getProperty("total_commands_processed");
		return Long.parseLong(processed.trim());
	}

	/** Freeze the server, as a Redis that stopped answering without closing its connections. */
	public void pause() {
		signal("-STOP");
		this.paused = true;
	}

	/** Thaw a {@link #pause() paused} server. */
	public void resume() {
		signal("-CONT");
		this.paused = false;
	}

	private void signal(String signal) {
		try {
			new ProcessBuilder("kill", signal, String.valueOf(this.process.pid())).start().waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Forget every key. */
	public void flush() {
		new ReactiveStringRedisTemplate(connectionFactory()).execute((connection) -> connection.serverCommands().flushAll())
			.blockLast();
	}

	/** Stop the server, and close the connections it made. */
	@Override
	public void close() {
		stop();
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

}
