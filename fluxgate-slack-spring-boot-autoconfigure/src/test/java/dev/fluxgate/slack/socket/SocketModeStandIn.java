package dev.fluxgate.slack.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.fluxgate.slack.client.WebClientSlackClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slack's Socket Mode stood in for on loopback by a Reactor Netty server: {@code apps.connections.open} answers a
 * {@code ws} link with a one-time ticket, and each link says {@code hello}, then pushes what the test scripts
 * (envelopes, {@code disconnect}s, fragmented or malformed frames, silence) and records the acknowledgements. It knows
 * nothing of JUnit: {@link #start()}, then {@link #close()}.
 */
public final class SocketModeStandIn implements AutoCloseable {

	/** The app-level token the stand-in accepts. */
	public static final String APP_TOKEN = "xapp-1-A0FLUXGATE-1700000000-standin";

	/** The app id each {@code hello} carries. */
	public static final String APP_ID = "A0FLUXGATE";

	private static final int MAX_FRAME = 4 * 1024 * 1024;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Queue<OpenAnswer> scriptedOpens = new ConcurrentLinkedQueue<>();

	private final List<Long> openRequests = new CopyOnWriteArrayList<>();

	private final Set<String> tickets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger ticketCount = new AtomicInteger();

	private final NavigableMap<Integer, Link> links = new ConcurrentSkipListMap<>();

	private final AtomicInteger linkCount = new AtomicInteger();

	private final AtomicInteger envelopeCount = new AtomicInteger();

	private final List<Ack> acks = new CopyOnWriteArrayList<>();

	private final Map<String, Long> pushedAt = new ConcurrentHashMap<>();

	private volatile boolean holdHello;

	private DisposableServer server;

	/** Start the server on a free loopback port. */
	public void start() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/api/apps.connections.open", this::open).get("/link/", this::link))
			.bindNow();
	}

	/** Stop the server, which closes every link. */
	@Override
	public void close() {
		if (this.server != null) {
			this.server.disposeNow(Duration.ofSeconds(5));
		}
	}

	/**
	 * The Web API's base URL.
	 * @return {@code http://127.0.0.1:PORT/api}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.port() + "/api";
	}

	/**
	 * A Web API client with the app-level token, for {@code apps.connections.open}.
	 * @return the client
	 */
	public WebClientSlackClient appClient() {
		return appClient(APP_TOKEN);
	}

	/**
	 * A Web API client with the given app-level token.
	 * @param token the token
	 * @return the client
	 */
	public WebClientSlackClient appClient(String token) {
		// Generous: a JVM's first WebClient call may take seconds on a busy machine
		return WebClientSlackClient.builder().token(token).baseUrl(baseUrl()).timeout(Duration.ofSeconds(10)).build();
	}

	/**
	 * Answer the next calls of {@code apps.connections.open} with {@code ok:false}.
	 * @param times how many calls
	 * @param error the error code, such as {@code ratelimited}
	 */
	public void refuseOpens(int times, String error) {
		for (int i = 0; i < times; i++) {
			this.scriptedOpens.add(new OpenAnswer(false, null, error, 200, null));
		}
	}

	/**
	 * Answer the next calls of {@code apps.connections.open} with HTTP 429.
	 * @param times how many calls
	 * @param retryAfterSeconds the {@code Retry-After}
	 */
	public void rateLimitOpens(int times, int retryAfterSeconds) {
		for (int i = 0; i < times; i++) {
			this.scriptedOpens.add(new OpenAnswer(false, null, null, 429, retryAfterSeconds));
		}
	}

	/**
	 * When each call of {@code apps.connections.open} arrived.
	 * @return the {@link System#nanoTime()} of each call, in order
	 */
	public List<Long> openRequests() {
		return List.copyOf(this.openRequests);
	}

	/**
	 * Hold the {@code hello} of the links that open from now on, until {@link #releaseHello()}.
	 */
	public void holdHello() {
		this.holdHello = true;
	}

	/** Send the held {@code hello}s, and say it right away again. */
	public void releaseHello() {
		this.holdHello = false;
		this.links.values().forEach(Link::helloOnce);
	}

	/**
	 * How many links are open.
	 * @return the count
	 */
	public int openConnections() {
		return this.links.size();
	}

	/**
	 * How many links were ever opened.
	 * @return the count
	 */
	public int totalConnections() {
		return this.linkCount.get();
	}

	/**
	 * The newest open link's number, counted from 1.
	 * @return the number, or 0 when none is open
	 */
	public int newestLink() {
		Map.Entry<Integer, Link> last = this.links.lastEntry();
		return (last != null) ? last.getKey() : 0;
	}

	/**
	 * Whether a link is open.
	 * @param link its number
	 * @return whether it is open
	 */
	public boolean isOpen(int link) {
		return this.links.containsKey(link);
	}

	/**
	 * Push an envelope on the newest link.
	 * @param type such as {@code interactive}
	 * @param payload the payload: a JSON string, or a value the mapper writes
	 * @return the envelope's id
	 */
	public String push(String type, Object payload) {
		return push(newestLink(), type, payload);
	}

	/**
	 * Push an envelope on a link.
	 * @param link the link's number
	 * @param type such as {@code interactive}
	 * @param payload the payload: a JSON string, or a value the mapper writes
	 * @return the envelope's id
	 */
	public String push(int link, String type, Object payload) {
		EnvelopeFrame envelope = envelope(type, payload);
		this.pushedAt.put(envelope.envelopeId(), System.nanoTime());
		link(link).send(text(envelope));
		return envelope.envelopeId();
	}

	/**
	 * Push an envelope on the newest link, split into a text frame and continuation frames.
	 * @param type such as {@code interactive}
	 * @param payload the payload: a JSON string, or a value the mapper writes
	 * @param fragmentSize the size of each fragment in bytes
	 * @return the envelope's id
	 */
	public String pushFragmented(String type, Object payload, int fragmentSize) {
		EnvelopeFrame envelope = envelope(type, payload);
		byte[] bytes = this.mapper.writeValueAsBytes(envelope);
		List<WebSocketFrame> fragments = new ArrayList<>();
		for (int offset = 0; offset < bytes.length; offset += fragmentSize) {
			int length = Math.min(fragmentSize, bytes.length - offset);
			boolean last = offset + length >= bytes.length;
			fragments.add((offset == 0) ? new TextWebSocketFrame(last, 0, Unpooled.wrappedBuffer(bytes, offset, length))
					: new ContinuationWebSocketFrame(last, 0, Unpooled.wrappedBuffer(bytes, offset, length)));
		}
		this.pushedAt.put(envelope.envelopeId(), System.nanoTime());
		link(newestLink()).send(fragments.toArray(WebSocketFrame[]::new));
		return envelope.envelopeId();
	}

	/**
	 * Push a text frame as is on the newest link, such as a malformed one.
	 * @param text the frame's text
	 */
	public void pushRaw(String text) {
		link(newestLink()).send(new TextWebSocketFrame(text));
	}

	/**
	 * Send a {@code disconnect} on a link, which stays open.
	 * @param link the link's number
	 * @param reason such as {@code warning}, {@code refresh_requested}, {@code link_disabled} or
	 * {@code too_many_websockets}
	 */
	public void disconnect(int link, String reason) {
		link(link).send(text(new Disconnect("disconnect", reason, new DebugInfo("standin-" + link))));
	}

	/**
	 * Close a link with a close frame.
	 * @param link the link's number
	 */
	public void drop(int link) {
		link(link).outbound.sendClose(1001, "going away").subscribe();
	}

	/**
	 * Make a link half-open: it answers no ping and sends nothing more.
	 * @param link the link's number
	 */
	public void goSilent(int link) {
		link(link).silent = true;
	}

	/**
	 * The acknowledgements received, in order.
	 * @return the acknowledgements
	 */
	public List<Ack> acks() {
		return List.copyOf(this.acks);
	}

	/**
	 * How long after its push an envelope's acknowledgement arrived.
	 * @param envelopeId the envelope's id
	 * @return the delay, or {@code null} when it was not acknowledged
	 */
	public Duration ackDelay(String envelopeId) {
		Long pushed = this.pushedAt.get(envelopeId);
		return this.acks.stream()
			.filter((ack) -> ack.envelopeId().equals(envelopeId))
			.findFirst()
			.map((ack) -> Duration.ofNanos(ack.nanoTime() - pushed))
			.orElse(null);
	}

	private Link link(int number) {
		Link link = this.links.get(number);
		if (link == null) {
			throw new IllegalStateException("Link " + number + " is not open; open: " + this.links.keySet());
		}
		return link;
	}

	private EnvelopeFrame envelope(String type, Object payload) {
		JsonNode tree = (payload instanceof String json) ? this.mapper.readTree(json)
				: this.mapper.valueToTree(payload);
		return new EnvelopeFrame("env-" + this.envelopeCount.incrementAndGet(), type, tree, false);
	}

	private TextWebSocketFrame text(Object value) {
		return new TextWebSocketFrame(this.mapper.writeValueAsString(value));
	}

	private Mono<Void> open(HttpServerRequest request, HttpServerResponse response) {
		this.openRequests.add(System.nanoTime());
		return request.receive().then(Mono.defer(() -> {
			if (!("Bearer " + APP_TOKEN).equals(request.requestHeaders().get("Authorization"))) {
				return json(response, new OpenAnswer(false, null, "invalid_auth", 200, null));
			}
			OpenAnswer scripted = this.scriptedOpens.poll();
			if (scripted != null && scripted.status() == 429) {
				return response.status(HttpResponseStatus.TOO_MANY_REQUESTS)
					.header("Retry-After", String.valueOf(scripted.retryAfter()))
					.send()
					.then();
			}
			if (scripted != null) {
				return json(response, scripted);
			}
			String ticket = String.valueOf(this.ticketCount.incrementAndGet());
			this.tickets.add(ticket);
			return json(response, new OpenAnswer(true,
					"ws://127.0.0.1:" + this.server.port() + "/link/?ticket=" + ticket, null, 200, null));
		}));
	}

	private Mono<Void> json(HttpServerResponse response, OpenAnswer answer) {
		return response.header("Content-Type", "application/json; charset=utf-8")
			.sendString(Mono.just(this.mapper.writeValueAsString(answer)), StandardCharsets.UTF_8)
			.then();
	}

	private Mono<Void> link(HttpServerRequest request, HttpServerResponse response) {
		List<String> ticket = new QueryStringDecoder(request.uri()).parameters().get("ticket");
		// A ticket is good for one link, as Slack's
		if (ticket == null || ticket.size() != 1 || !this.tickets.remove(ticket.get(0))) {
			return response.status(HttpResponseStatus.FORBIDDEN).send().then();
		}
		return response.sendWebsocket(this::serve,
				WebsocketServerSpec.builder().handlePing(true).maxFramePayloadLength(MAX_FRAME).build());
	}

	private Mono<Void> serve(WebsocketInbound in, WebsocketOutbound out) {
		int number = this.linkCount.incrementAndGet();
		Link link = new Link(number, out);
		this.links.put(number, link);
		if (!this.holdHello) {
			link.helloOnce();
		}
		Mono<Void> receiving = in.aggregateFrames(MAX_FRAME)
			.receiveFrames()
			.doOnNext(link::received)
			.then()
			.doFinally((signal) -> {
				this.links.remove(number);
				link.outgoing.tryEmitComplete();
			});
		return Mono.when(receiving, out.sendObject(link.outgoing.asFlux()).then());
	}

	/**
	 * An acknowledgement the stand-in received.
	 *
	 * @param envelopeId the envelope's id
	 * @param link the link it came on
	 * @param nanoTime when it arrived, on {@link System#nanoTime()}
	 */
	public record Ack(String envelopeId, int link, long nanoTime) {

	}

	private final class Link {

		private final int number;

		private final WebsocketOutbound outbound;

		private final Sinks.Many<WebSocketFrame> outgoing = Sinks.many().unicast().onBackpressureBuffer();

		private boolean helloSent;

		private volatile boolean silent;

		Link(int number, WebsocketOutbound outbound) {
			this.number = number;
			this.outbound = outbound;
		}

		synchronized void helloOnce() {
			if (!this.helloSent) {
				this.helloSent = true;
				send(text(new Hello("hello", SocketModeStandIn.this.links.size(), new ConnectionInfo(APP_ID),
						new DebugInfo("standin-" + this.number))));
			}
		}

		synchronized void send(WebSocketFrame... frames) {
			for (WebSocketFrame frame : frames) {
				if (this.silent || this.outgoing.tryEmitNext(frame).isFailure()) {
					ReferenceCountUtil.release(frame);
				}
			}
		}

		void received(WebSocketFrame frame) {
			if (this.silent) {
				return;
			}
			if (frame instanceof PingWebSocketFrame ping) {
				send(new PongWebSocketFrame(ping.content().retain()));
			}
			else if (frame instanceof TextWebSocketFrame text) {
				long arrived = System.nanoTime();
				try {
					AckFrame ack = SocketModeStandIn.this.mapper.readValue(text.text(), AckFrame.class);
					SocketModeStandIn.this.acks.add(new Ack(ack.envelopeId(), this.number, arrived));
				}
				catch (RuntimeException ex) {
					// Not an acknowledgement: the client's tests see it missing from acks()
				}
			}
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record OpenAnswer(boolean ok, String url, String error, @JsonIgnore int status,
			@JsonIgnore Integer retryAfter) {

	}

	record Hello(String type, @JsonProperty("num_connections") int numConnections,
			@JsonProperty("connection_info") ConnectionInfo connectionInfo,
			@JsonProperty("debug_info") DebugInfo debugInfo) {

	}

	record ConnectionInfo(@JsonProperty("app_id") String appId) {

	}

	record DebugInfo(String host) {

	}

	record Disconnect(String type, String reason, @JsonProperty("debug_info") DebugInfo debugInfo) {

	}

	record EnvelopeFrame(@JsonProperty("envelope_id") String envelopeId, String type, JsonNode payload,
			@JsonProperty("accepts_response_payload") boolean acceptsResponsePayload) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record AckFrame(@JsonProperty("envelope_id") String envelopeId) {

	}

}
