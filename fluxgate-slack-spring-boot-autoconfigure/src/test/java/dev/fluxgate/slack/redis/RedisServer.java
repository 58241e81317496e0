package dev.fluxgate.slack.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, started before a test class and stopped
 * by its process after it. Needs Debian's {@code redis-server}; test classes say so with {@code @RequiresPrograms}.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

	public static final String PROGRAM = "/usr/bin/redis-server";

	private Process process;

	private int port;

	private LettuceConnectionFactory connectionFactory;

	private volatile boolean paused;

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
		await().atMost(Duration.ofSeconds(10)).until(this::accepting);
	}

	public void stop() {
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
