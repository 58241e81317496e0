package dev.fluxgate.slack.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.annotation.JsonInclude;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Slack Web API stand-in on loopback for the benchmarks: a fixed latency and, optionally, Slack's
 * {@code chat.postMessage} limit of about one message per second per channel with a short burst, answered with 429
 * and {@code Retry-After} beyond it. It records each breaker's transitions in the order they arrive, per replica when messages name theirs.
 */
final class SlackServer implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final DisposableServer server;

	private final Duration latency;

	private final double perSecond;

	private final double burst;

	private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	final AtomicInteger posts = new AtomicInteger();

	final AtomicInteger updates = new AtomicInteger();

	final AtomicInteger rateLimited = new AtomicInteger();

	final AtomicInteger digestRoots = new AtomicInteger();

	final Map<String, List<String>> transitionsByBreaker = new ConcurrentHashMap<>();

	/** The accepted posts by kind: a root, a reply, a broadcast reply, each of a breaker's thread or a digest's. */
	/** The roots of breakers' own threads, by breaker: a breaker with two had its outage split in two threads. */
	final Map<String, Integer> rootsByBreaker = new ConcurrentHashMap<>();

	final Map<String, AtomicInteger> postsByKind = new java.util.concurrent.ConcurrentSkipListMap<>();

	/**
	 * Start a stand-in.
	 * @param latency how long each answer takes
	 * @param perSecond messages per second per channel, or 0 for no limit
	 * @param burst how many messages may come at once
	 */
	SlackServer(Duration latency, double perSecond, double burst) {
		this.latency = latency;
		this.perSecond = perSecond;
		this.burst = burst;
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/api/chat.postMessage", this::postMessage)
				.post("/api/chat.update", this::update)
				.post("/api/auth.test", (request, response) -> answer(response, new Answer(true, null, null, null))))
			.bindNow();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port() + "/api";
	}

	private Mono<Void> postMessage(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().flatMap((body) -> {
			JsonNode message = json.readTree(body);
			String channel = message.path("channel").asString();
			if (!admit(channel)) {
				this.rateLimited.incrementAndGet();
				return response.status(429).header("Retry-After", "1").send().then();
			}
			this.posts.incrementAndGet();
			boolean reply = !message.path("thread_ts").isMissingNode();
			String text = message.path("text").asString();
			boolean digest = text.contains("circuit breakers opened") || text.contains("circuit breakers recovered");
			if (!reply && digest) {
				this.digestRoots.incrementAndGet();
			}
			String kind = (digest ? "digest " : "thread ") + (!reply ? "root"
					: message.path("reply_broadcast").asBoolean(false) ? "broadcast" : "reply");
			if (reply && !digest) {
				JsonNode transitionField = message.at("/attachments/0/blocks/1/fields/1/text");
				kind += transitionField.isMissingNode() ? " (no transition)"
						: " " + transitionField.asString().substring("*State Transition:*\n".length())
								+ (text.contains("Still failing") || message.toString().contains("Still failing") ? ", still failing elsewhere" : "");
			}
			this.postsByKind.computeIfAbsent(kind, (key) -> new AtomicInteger()).incrementAndGet();
			JsonNode fields = message.at("/attachments/0/blocks/1/fields");
			if (fields.isArray() && fields.size() >= 4) {
				String name = fields.get(0).path("text").asString().substring("*Circuit Breaker:*\n".length());
				if (fields.size() == 5) {
					name += " on " + fields.get(4).path("text").asString().substring("*Instance:*\n".length());
				}
				String transition = fields.get(1).path("text").asString().substring("*State Transition:*\n".length());
				if (!reply) {
					this.rootsByBreaker.merge(fields.get(0).path("text").asString(), 1, Integer::sum);
				}
				this.transitionsByBreaker.computeIfAbsent(name, (key) -> java.util.Collections.synchronizedList(new ArrayList<>()))
					.add(transition);
			}
			String ts = "1700000000." + String.format("%06d", this.sequence.incrementAndGet());
			return Mono.delay(this.latency).then(answer(response, new Answer(true, channel, ts, null)));
		});
	}

	private Mono<Void> update(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().flatMap((body) -> {
			JsonNode message = json.readTree(body);
			this.updates.incrementAndGet();
			return Mono.delay(this.latency)
				.then(answer(response, new Answer(true, message.path("channel").asString(), message.path("ts").asString(), null)));
		});
	}

	private synchronized boolean admit(String channel) {
		if (this.perSecond <= 0) {
			return true;
		}
		long now = System.nanoTime();
		double[] bucket = this.buckets.computeIfAbsent(channel, (id) -> new double[] { this.burst, now });
		bucket[0] = Math.min(this.burst, bucket[0] + (now - (long) bucket[1]) / 1e9 * this.perSecond);
		bucket[1] = now;
		if (bucket[0] >= 1) {
			bucket[0] -= 1;
			return true;
		}
		return false;
	}

	private static Mono<Void> answer(HttpServerResponse response, Answer answer) {
		return response.header("Content-Type", "application/json; charset=utf-8")
			.sendString(Mono.just(json.writeValueAsString(answer)))
			.then();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Answer(boolean ok, String channel, String ts, String error) {
	}

}
