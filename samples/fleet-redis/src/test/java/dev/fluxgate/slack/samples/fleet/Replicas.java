package dev.fluxgate.slack.samples.fleet;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.redis.RedisServer;
import dev.fluxgate.slack.socket.SocketModeStandIn;

/**
 * The sample run as a fleet of separate JVMs against one {@code redis-server} and one Slack stand-in, with a fast
 * heartbeat so that a replica that stops reporting is noticed in about a second. A replica can be
 * {@link #restart(Replica) started again} as it was, with the same instance id. Close it to kill every replica.
 */
final class Replicas implements AutoCloseable {

	/** The preload library of Debian's libfaketime, for a replica whose clock is wrong. */
	static final String FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

	/** Debian's faketime program, whose package brings {@link #FAKETIME}. */
	static final String FAKETIME_PROGRAM = "/usr/bin/faketime";

	static final String HEARTBEAT = "300ms";

	private static final Pattern INSTANCE = Pattern.compile("\\*Instance:\\*\\\\n([\\w.-]+)");

	private final String testName;

	private final RedisServer redis;

	private final SlackStandIn slack;

	private final List<Replica> started = new ArrayList<>();

	private final Map<String, Launch> launches = new LinkedHashMap<>();

	Replicas(Class<?> test, RedisServer redis, SlackStandIn slack) {
		this.testName = test.getSimpleName();
		this.redis = redis;
		this.slack = slack;
	}

	/**
	 * Start replicas, and wait until each is healthy.
	 * @param instanceIds their instance ids
	 * @param arguments more arguments, the same for each
	 */
	List<Replica> start(List<String> instanceIds, String... arguments) throws IOException {
		List<Replica> replicas = new ArrayList<>();
		for (String instanceId : instanceIds) {
			replicas.add(start(instanceId, Map.of(), arguments));
		}
		awaitHealthy(replicas);
		return replicas;
	}

	/**
	 * Start one replica; {@link #awaitHealthy(List)} waits for it.
	 * @param instanceId its instance id
	 * @param environment more environment variables, such as a fake clock's
	 * @param arguments more arguments
	 */
	Replica start(String instanceId, Map<String, String> environment, String... arguments) throws IOException {
		this.launches.put(instanceId, new Launch(Map.copyOf(environment), List.of(arguments)));
		return launch(instanceId, environment, arguments);
	}

	/**
	 * Start a replica that was stopped or killed again, with its instance id, environment and arguments; its output
	 * goes to a log of its own, numbered. {@link Replica#awaitHealthy()} waits for it.
	 * @param replica the replica, no longer alive
	 * @return the new process
	 */
	Replica restart(Replica replica) throws IOException {
		if (replica.alive()) {
			throw new IllegalStateException(replica + " is still alive");
		}
		Launch launch = this.launches.get(replica.instanceId());
		return launch(replica.instanceId(), launch.environment(), launch.arguments().toArray(String[]::new));
	}

	/**
	 * The arguments that turn the buttons on, their clicks arriving over Socket Mode from the given stand-in's
	 * {@code apps.connections.open}; each replica reconciles with Redis at this interval.
	 * @param allowedUser the one user who may act
	 * @param reconcileInterval such as {@code 1s}
	 */
	static String[] actions(String allowedUser, String reconcileInterval) {
		return new String[] { "--fluxgate.slack.actions.enabled=true",
				"--fluxgate.slack.app-token=" + SocketModeStandIn.APP_TOKEN,
				"--fluxgate.slack.actions.allowed-users=" + allowedUser,
				"--fluxgate.slack.actions.reconcile-interval=" + reconcileInterval,
				"--logging.level.dev.fluxgate.slack.action=INFO", "--logging.level.dev.fluxgate.slack.socket=INFO" };
	}

	private Replica launch(String instanceId, Map<String, String> environment, String... arguments)
			throws IOException {
		List<String> all = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + this.redis.port(), "--fluxgate.slack.base-url=" + this.slack.baseUrl(),
				"--fluxgate.slack.redis.heartbeat=" + HEARTBEAT, "--logging.level.dev.fluxgate.slack.thread=DEBUG"));
		all.addAll(List.of(arguments));
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("SLACK_BOT_TOKEN", SlackStandIn.TOKEN);
		variables.put("SLACK_CHANNEL_ID", SlackStandIn.CHANNEL);
		variables.putAll(environment);
		new File("target").mkdirs();
		long earlier = this.started.stream().filter((replica) -> replica.instanceId().equals(instanceId)).count();
		String log = "target/" + this.testName + "-" + instanceId + ((earlier > 0) ? "-" + (earlier + 1) : "") + ".log";
		Replica replica = Replica.start(new File(log), instanceId, variables, all);
		this.started.add(replica);
		return replica;
	}

	static void awaitHealthy(List<Replica> replicas) {
		replicas.forEach(Replica::awaitHealthy);
	}

	/** Do the same on each replica at once, and wait for all. */
	static void atOnce(List<Replica> replicas, Consumer<Replica> action) {
		CompletableFuture.allOf(replicas.stream()
			.map((replica) -> CompletableFuture.runAsync(() -> action.accept(replica)))
			.toArray(CompletableFuture[]::new)).join();
	}

	/**
	 * The environment of a JVM whose wall clock is off by the given offset, such as {@code +20s}, with
	 * {@code System.nanoTime} left alone. Without {@code FAKETIME_FORCE_MONOTONIC_FIX=0} libfaketime 0.9.10 makes each
	 * timed wait of the JVM slow, and Boot takes minutes to start.
	 */
	static Map<String, String> clockOffBy(String offset) {
		return Map.of("LD_PRELOAD", FAKETIME, "FAKETIME", offset, "FAKETIME_DONT_FAKE_MONOTONIC", "1",
				"FAKETIME_FORCE_MONOTONIC_FIX", "0");
	}

	/** Every message Slack received about {@code payment-api}, in order. */
	List<Post> payments() {
		return this.slack.delivered().stream().filter((post) -> post.rawBody().contains("payment-api")).toList();
	}

	/** The messages telling a transition, such as {@code CLOSED → OPEN}. */
	List<Post> transitions(String transition) {
		return payments().stream().filter((post) -> transition.equals(transitionOf(post))).toList();
	}

	/** The transition a message tells, or {@code ""} for a message that tells none. */
	static String transitionOf(Post post) {
		try {
			return post.transition();
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	/** One line per message, for assertion messages: who, what, where. */
	static List<String> describe(List<Post> posts) {
		return posts.stream().map(Replicas::describe).toList();
	}

	static String describe(Post post) {
		Matcher instance = INSTANCE.matcher(post.rawBody());
		String transition = transitionOf(post);
		return (instance.find() ? instance.group(1) : "?") + " " + (transition.isEmpty() ? post.text() : transition)
				+ " in " + post.channel() + ((post.threadTs() != null) ? " thread " + post.threadTs() : " (root)")
				+ (post.broadcast() ? " broadcast" : "") + " ts " + post.ts();
	}

	@Override
	public void close() {
		atOnce(this.started.stream().filter(Replica::alive).toList(), Replica::stop);
	}

	private record Launch(Map<String, String> environment, List<String> arguments) {

	}

}
