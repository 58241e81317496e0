package dev.fluxgate.slack.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster of three masters on loopback, as users run Redis in production: three {@code redis-server}
 * processes with {@code --cluster-enabled yes}, joined by {@code redis-cli --cluster create}, started before a test
 * class and stopped, with their files, after it. Needs Debian's {@code redis-server} and {@code redis-tools}; test
 * classes say so with {@code @RequiresPrograms({RedisServer.PROGRAM, RedisCluster.CLI})}.
 */
public final class RedisCluster implements BeforeAllCallback, AfterAllCallback {

	public static final String CLI = "/usr/bin/redis-cli";

	private static final int NODES = 3;

	private static final int BUS_OFFSET = 10000;

	private final List<Process> processes = new ArrayList<>();

	private final List<Integer> ports = new ArrayList<>();

	private final List<LettuceConnectionFactory> connectionFactories = new ArrayList<>();

	private Path directory;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	public void start() throws IOException, InterruptedException {
		this.directory = Files.createTempDirectory("fluxgate-redis-cluster");
		for (int node = 0; node < NODES; node++) {
			int port = freeClusterPort();
			this.ports.add(port);
			Process process = new ProcessBuilder(RedisServer.PROGRAM, "--port", String.valueOf(port), "--bind",
					"127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file",
					this.directory.resolve("nodes-" + port + ".conf").toString(), "--dir", this.directory.toString(),
					"--save", "", "--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis-" + port + ".log").toFile())
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
			this.processes.add(process);
		}
		for (int port : this.ports) {
			await().atMost(Duration.ofSeconds(10)).until(() -> cli(port, "ping").contains("PONG"));
		}
		List<String> create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
		this.ports.forEach((port) -> create.add("127.0.0.1:" + port));
		create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		String created = run(create);
		if (!created.contains("[OK] All 16384 slots covered")) {
			throw new IllegalStateException("redis-cli --cluster create failed:\n" + created);
		}
		for (int port : this.ports) {
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> cli(port, "cluster", "info").contains("cluster_state:ok"));
		}
	}

	public void stop() {
		this.connectionFactories.forEach(LettuceConnectionFactory::destroy);
		this.connectionFactories.clear();
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			try {
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.processes.clear();
		this.ports.clear();
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

	/** The nodes as {@code spring.data.redis.cluster.nodes} takes them, such as {@code 127.0.0.1:7000,127.0.0.1:7001}. */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/** Forget every key on every node. */
	public void flush() {
		this.ports.forEach((port) -> cli(port, "flushall"));
	}

	/** The nodes' ports. */
	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/** A started connection factory to the cluster; stopped with it. */
	public LettuceConnectionFactory newConnectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of(nodes().split(","))));
		factory.afterPropertiesSet();
		factory.start();
		this.connectionFactories.add(factory);
		return factory;
	}

	/** Run {@code redis-cli} against a server on loopback and return what it printed. */
	static String cli(int port, String... command) {
		List<String> line = new ArrayList<>(List.of(CLI, "-h", "127.0.0.1", "-p", String.valueOf(port)));
		line.addAll(List.of(command));
		return run(line);
	}

	private static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(30, TimeUnit.SECONDS);
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private int freeClusterPort() {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 55536);
			if (port <= 55535 && !this.ports.contains(port) && !this.ports.contains(port + BUS_OFFSET)
					&& free(port) && free(port + BUS_OFFSET)) {
				return port;
			}
		}
		throw new IllegalStateException("No free loopback port P <= 55535 with P + 10000 free");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
