package dev.fluxgate.slack.samples.fleet;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One replica of the sample: a JVM of its own on its own port, with its own instance id, driven through HTTP as a
 * user would. {@link #trip()} takes the payment provider down and calls until the breaker is OPEN;
 * {@link #recover()} brings it back and calls until the breaker is CLOSED.
 */
final class Replica {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String instanceId;

	private final int port;

	private final Process process;

	private volatile boolean providerUp = true;

	private Replica(String instanceId, int port, Process process) {
		this.instanceId = instanceId;
		this.port = port;
		this.process = process;
	}

	/**
	 * Start a replica; it is healthy once {@link #awaitHealthy()} returns.
	 * @param log the file its output goes to
	 * @param instanceId its {@code fluxgate.slack.instance-id}
	 * @param environment variables added to its environment
	 * @param arguments its command-line arguments, besides its port and instance id
	 */
	static Replica start(File log, String instanceId, Map<String, String> environment, List<String> arguments)
			throws IOException {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
				FleetApplication.class.getName(), "--server.port=" + port, "--fluxgate.slack.instance-id=" + instanceId));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
		builder.environment().putAll(environment);
		Process process = builder.start();
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
		return new Replica(instanceId, port, process);
	}

	String instanceId() {
		return this.instanceId;
	}

	void awaitHealthy() {
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> get("/actuator/health").statusCode() == 200);
	}

	/** The provider goes down and calls fail until the circuit breaker opens. */
	void trip() {
		providerDown();
		for (int call = 0; call < 4; call++) {
			assertThat(get("/pay").statusCode()).as("%s: a call while the provider is down", this.instanceId)
				.isEqualTo(503);
		}
		assertThat(state()).as("%s: the breaker after four failed calls", this.instanceId).isEqualTo("OPEN");
	}

	void providerDown() {
		setProvider(false);
	}

	/** The provider comes back, and calls go through until the circuit breaker is closed. */
	void recover() {
		setProvider(true);
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> get("/pay").statusCode() == 200 && "CLOSED".equals(state()));
	}

	/** The circuit breaker's state, such as {@code OPEN}. */
	String state() {
		String answer = setProvider(this.providerUp);
		return answer.substring(answer.lastIndexOf(' ') + 1);
	}

	/** The fleet's threads, as {@code GET /actuator/slackthreads} of this replica tells them. */
	String threads() {
		return get("/actuator/slackthreads").body();
	}

	/** Kill the process with SIGKILL: no shutdown hook, no goodbye to Redis. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(20, TimeUnit.SECONDS);
	}

	/** Stop the process with SIGTERM, and SIGKILL if it does not stop in time. */
	void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	boolean alive() {
		return this.process.isAlive();
	}

	private String setProvider(boolean up) {
		this.providerUp = up;
		return send(HttpRequest.newBuilder(uri("/provider?up=" + up)).PUT(HttpRequest.BodyPublishers.noBody()))
			.body();
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public String toString() {
		return this.instanceId + "@" + this.port;
	}

}
