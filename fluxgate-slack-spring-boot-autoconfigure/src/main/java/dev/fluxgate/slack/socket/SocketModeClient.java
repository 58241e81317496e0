package dev.fluxgate.slack.socket;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Slack Socket Mode client on Reactor Netty's WebSocket client: it opens a connection with
 * {@code apps.connections.open}, acknowledges every envelope before its {@link EnvelopeHandler} does the work, replaces
 * a connection that Slack refreshes before closing it, pings, replaces an idle connection, and backs off with jitter.
 * <p>
 * It holds one connection, and two while a refreshed one is replaced. Nothing a handler or a frame does ends it; only
 * {@link #close()} and Slack's {@code link_disabled} do.
 */
public final class SocketModeClient implements AutoCloseable {

	/** How often a ping is sent by default. */
	public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);

	/** How long a connection may stay without any frame by default before it is replaced. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);

	/** The first back-off by default. */
	public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

	/** The longest back-off by default. */
	public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);

	/** The largest frame by default, once aggregated: Slack's payloads carry whole messages, past Netty's 64 KiB. */
	public static final int DEFAULT_MAX_FRAME_PAYLOAD = 1024 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(SocketModeClient.class);

	private static final int LOGGED_CHARS = 200;

	// Reactor Netty's and Netty's messages may carry the URL, whose query is a one-time ticket
	private static final Pattern SOCKET_URL = Pattern.compile("(wss?://[^/\\s?#]+)[^\\s]*");

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

	private final SlackClient connections;

	private final EnvelopeHandler handler;

	private final SocketObserver observer;

	private final HttpClient httpClient;

	private final Duration pingInterval;

	private final Duration idleTimeout;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final int maxFramePayload;

	private final Scheduler scheduler;

	private final Scheduler handlerScheduler;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Sinks.Many<String> connected = Sinks.many().replay().latest();

	private final AtomicInteger connectionIds = new AtomicInteger();

	private final Set<String> loggedErrors = ConcurrentHashMap.newKeySet();

	private final Object lock = new Object();

	private volatile SocketState state = SocketState.STARTING;

	private volatile String appId;

	// Guarded by lock: the connection that said hello, and the one being opened
	private Connection current;

	private Connection pending;

	private Disposable retry;

	private boolean started;

	private int attempt;

	private int tooManyStreak;

	private SocketModeClient(Builder builder) {
		this.connections = Objects.requireNonNull(builder.connections, "connections must not be null");
		this.handler = Objects.requireNonNull(builder.handler, "handler must not be null");
		this.observer = Objects.requireNonNull(builder.observer, "observer must not be null");
		this.httpClient = Objects.requireNonNull(builder.httpClient, "httpClient must not be null");
		this.pingInterval = positive(builder.pingInterval, "pingInterval");
		this.idleTimeout = positive(builder.idleTimeout, "idleTimeout");
		this.initialBackoff = positive(builder.initialBackoff, "initialBackoff");
		this.maxBackoff = positive(builder.maxBackoff, "maxBackoff");
		if (this.maxBackoff.compareTo(this.initialBackoff) < 0) {
			throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
		}
		if (builder.maxFramePayload <= 0) {
			throw new IllegalArgumentException("maxFramePayload must be positive, was " + builder.maxFramePayload);
		}
		this.maxFramePayload = builder.maxFramePayload;
		this.scheduler = Objects.requireNonNull(builder.scheduler, "scheduler must not be null");
		this.handlerScheduler = Objects.requireNonNull(builder.handlerScheduler, "handlerScheduler must not be null");
	}

	/**
	 * Return a builder.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Open the first connection, in the background. Calling it again does nothing.
	 */
	public void start() {
		synchronized (this.lock) {
			if (this.started || this.state != SocketState.STARTING) {
				return;
			}
			this.started = true;
		}
		connect();
	}

	/**
	 * Return the client's state.
	 * @return the state
	 */
	public SocketState state() {
		return this.state;
	}

	/**
	 * Return the app's id, from the last {@code hello}.
	 * @return the app id, or {@code null} before the first {@code hello}
	 */
	public String appId() {
		return this.appId;
	}

	/**
	 * Return the app id on each {@code hello}, so that the state Slack's actions set can be reconciled after each
	 * (re)connect. A subscriber first gets the latest {@code hello}'s, if any. Completes on {@link #close()}.
	 * @return the app ids
	 */
	public Flux<String> connected() {
		return this.connected.asFlux();
	}

	/**
	 * Close the connections with a close frame and open none again. Calling it again does nothing.
	 */
	@Override
	public void close() {
		List<Connection> open = new ArrayList<>(2);
		synchronized (this.lock) {
			if (this.state == SocketState.STOPPED) {
				return;
			}
			changeState(SocketState.STOPPED);
			disposeRetry();
			takeConnections(open);
			this.connected.tryEmitComplete();
		}
		Mono<Void> closing = Flux.fromIterable(open).flatMap((connection) -> connection.close("stopping")).then();
		if (Schedulers.isInNonBlockingThread()) {
			closing.subscribe();
		}
		else {
			// Best effort: the close frames are on their way before the application's resources go
			closing.onErrorComplete().block(CLOSE_TIMEOUT.plusMillis(500));
		}
	}

	private void connect() {
		Connection connection;
		synchronized (this.lock) {
			if (isOver() || this.pending != null) {
				return;
			}
			connection = new Connection(this.connectionIds.incrementAndGet());
			this.pending = connection;
		}
		connection.open();
	}

	private void hello(Connection connection, Frame frame) {
		Connection replaced = null;
		String id = (frame.connectionInfo() != null) ? frame.connectionInfo().appId() : null;
		synchronized (this.lock) {
			if (isOver() || connection.ended) {
				return;
			}
			if (connection == this.pending) {
				replaced = this.current;
				this.current = connection;
				this.pending = null;
			}
			else if (connection != this.current) {
				return;
			}
			connection.helloSeen = true;
			this.attempt = 0;
			if (id != null) {
				this.appId = id;
			}
			changeState(SocketState.CONNECTED);
			if (this.appId != null) {
				this.connected.tryEmitNext(this.appId);
			}
		}
		logger.info("Socket Mode connection {} to {} is up (app {}, {} connection(s) for the app)", connection.id,
				connection.host, this.appId, frame.numConnections());
		if (replaced != null) {
			logger.debug("Socket Mode connection {} replaces connection {}", connection.id, replaced.id);
			replaced.close("replaced").subscribe();
		}
	}

	private void disconnect(Connection connection, String reason) {
		if ("link_disabled".equals(reason)) {
			disable(connection);
		}
		else if ("too_many_websockets".equals(reason)) {
			synchronized (this.lock) {
				this.tooManyStreak++;
				this.attempt = Math.max(this.attempt, this.tooManyStreak);
			}
			logger.warn("Slack closes Socket Mode connection {}: too_many_websockets (Slack allows 10 per app; does"
					+ " another application share the app token?); backing off", connection.id);
			connection.dropReason = reason;
			ended(connection, null);
			connection.close(reason).subscribe();
		}
		else {
			refresh(connection, reason);
		}
	}

	// Slack refreshes connections: open the new one first, and close the old one once the new one said hello
	private void refresh(Connection connection, String reason) {
		Connection next;
		synchronized (this.lock) {
			if (isOver() || connection != this.current || this.pending != null) {
				logger.debug("Socket Mode connection {}: disconnect {} while a connection is already being opened",
						connection.id, reason);
				return;
			}
			next = new Connection(this.connectionIds.incrementAndGet());
			this.pending = next;
			reconnecting(reason);
		}
		logger.debug("Socket Mode connection {}: disconnect {}, opening connection {} before closing it",
				connection.id, reason, next.id);
		next.open();
	}

	private void disable(Connection connection) {
		List<Connection> open = new ArrayList<>(2);
		synchronized (this.lock) {
			if (isOver()) {
				return;
			}
			changeState(SocketState.DISABLED);
			disposeRetry();
			takeConnections(open);
		}
		logger.warn("Slack disabled the Socket Mode link (link_disabled, on connection {}): actions from Slack stop"
				+ " until Socket Mode is enabled for the app again and the application restarts; alerts still flow",
				connection.id);
		open.add(connection);
		Flux.fromIterable(open).distinct().flatMap((open1) -> open1.close("link_disabled")).subscribe();
	}

	// A connection ended: by Slack, the network, a failed open, or because this client dropped it
	private void ended(Connection connection, Throwable failure) {
		synchronized (this.lock) {
			if (connection.ended) {
				return;
			}
			connection.ended = true;
			boolean wasCurrent = connection == this.current;
			boolean wasPending = connection == this.pending;
			if (wasCurrent) {
				this.current = null;
			}
			if (wasPending) {
				this.pending = null;
			}
			if (isOver() || (!wasCurrent && !wasPending)) {
				return;
			}
			String reason = (connection.dropReason != null) ? connection.dropReason
					: connection.helloSeen ? "closed" : "connect_failed";
			if (connection.helloSeen && !"too_many_websockets".equals(reason)) {
				this.tooManyStreak = 0;
			}
			if (this.current == null) {
				changeState(SocketState.RECONNECTING);
			}
			if (this.pending != null || (this.retry != null && !this.retry.isDisposed())) {
				// A connection is being opened already, or will be after its back-off
				logged(connection, reason, failure, null);
				return;
			}
			Duration delay = backoff(failure);
			logged(connection, reason, failure, delay);
			reconnecting(reason);
			this.retry = this.scheduler.schedule(this::reconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void reconnect() {
		synchronized (this.lock) {
			this.retry = null;
		}
		connect();
	}

	private void logged(Connection connection, String reason, Throwable failure, Duration delay) {
		String next = (delay != null) ? "reconnecting in " + delay.toMillis() + " ms" : "another connection is opening";
		if (failure instanceof SlackApiException slack && !slack.isRetryable()) {
			if (this.loggedErrors.add(slack.getError())) {
				// Not the exception's message: its hint is about the bot token
				logger.error("Socket Mode cannot open a connection: apps.connections.open failed with {}; check the"
						+ " app-level token (scope connections:write) and that Socket Mode is enabled for the app;"
						+ " retrying every {} s", slack.getError(), this.maxBackoff.toSeconds());
			}
			return;
		}
		if (failure != null) {
			logger.warn("Socket Mode connection {} failed ({}): {}; {}", connection.id, reason, scrubbed(failure),
					next);
		}
		else if (!"too_many_websockets".equals(reason)) {
			logger.warn("Socket Mode connection {} to {} ended ({}); {}", connection.id, connection.host, reason,
					next);
		}
	}

	private Duration backoff(Throwable failure) {
		if (failure instanceof SlackApiException slack && !slack.isRetryable()) {
			return this.maxBackoff;
		}
		long nominal = this.initialBackoff.toMillis() << Math.min(this.attempt, 20);
		nominal = Math.min(Math.max(nominal, 1), this.maxBackoff.toMillis());
		this.attempt++;
		// Equal jitter: between half the nominal back-off and all of it, so that replicas spread out
		long jittered = nominal / 2 + ThreadLocalRandom.current().nextLong(nominal / 2 + 1);
		Duration delay = Duration.ofMillis(jittered);
		if (failure instanceof SlackApiException slack && slack.getRetryAfter() != null
				&& slack.getRetryAfter().compareTo(delay) > 0) {
			delay = slack.getRetryAfter();
		}
		return delay;
	}

	private void reconnecting(String reason) {
		try {
			this.observer.reconnecting(reason);
		}
		catch (RuntimeException ex) {
			logger.warn("The Socket Mode observer failed on reconnecting({}): {}", reason, ex.toString());
		}
	}

	private void changeState(SocketState next) {
		if (this.state == next) {
			return;
		}
		this.state = next;
		try {
			this.observer.stateChanged(next);
		}
		catch (RuntimeException ex) {
			logger.warn("The Socket Mode observer failed on stateChanged({}): {}", next, ex.toString());
		}
	}

	private void takeConnections(List<Connection> into) {
		if (this.current != null) {
			into.add(this.current);
		}
		if (this.pending != null) {
			into.add(this.pending);
		}
		this.current = null;
		this.pending = null;
	}

	private void disposeRetry() {
		if (this.retry != null) {
			this.retry.dispose();
			this.retry = null;
		}
	}

	private boolean isOver() {
		return this.state == SocketState.STOPPED || this.state == SocketState.DISABLED;
	}

	private long now() {
		return this.scheduler.now(TimeUnit.NANOSECONDS);
	}

	private URI socketUri(String url) {
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("apps.connections.open returned a URL that is not one");
		}
		String host = uri.getHost();
		boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
		if (host == null || !("wss".equals(uri.getScheme()) || ("ws".equals(uri.getScheme()) && loopback))) {
			throw new IllegalArgumentException("apps.connections.open returned a URL that is not wss ("
					+ uri.getScheme() + "://" + host + "), plain ws only on loopback");
		}
		return uri;
	}

	private static String scrubbed(Throwable failure) {
		String text = (failure instanceof SlackApiException) ? failure.getMessage() : failure.toString();
		return (text != null) ? SOCKET_URL.matcher(text).replaceAll("$1/******") : failure.getClass().getName();
	}

	private static String excerpt(String text) {
		String line = text.replaceAll("\\p{Cntrl}", " ");
		return (line.length() <= LOGGED_CHARS) ? line
				: line.substring(0, LOGGED_CHARS) + "… (" + line.length() + " chars)";
	}

	private static Duration positive(Duration duration, String name) {
		Objects.requireNonNull(duration, () -> name + " must not be null");
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + duration);
		}
		return duration;
	}

	@Override
	public String toString() {
		return "SocketModeClient[state=" + this.state + ", appId=" + this.appId + "]";
	}

	/**
	 * One WebSocket connection, from {@code apps.connections.open} to its close.
	 */
	private final class Connection {

		private final int id;

		private final Disposable.Swap subscription = Disposables.swap();

		private final Sinks.Many<WebSocketFrame> outgoing = Sinks.many().unicast().onBackpressureBuffer();

		private volatile WebsocketOutbound outbound;

		private volatile long lastFrame;

		private volatile String host = "Slack";

		private volatile boolean helloSeen;

		private volatile String dropReason;

		// Guarded by SocketModeClient.this.lock
		private boolean ended;

		Connection(int id) {
			this.id = id;
		}

		void open() {
			Mono<Void> run = SocketModeClient.this.connections.openConnection()
				.flatMap((answer) -> Mono.defer(() -> run(socketUri(answer.url()))));
			this.subscription.update(run.subscribe(null, (ex) -> ended(this, ex), () -> ended(this, null)));
		}

		private Mono<Void> run(URI uri) {
			this.host = uri.getHost();
			WebsocketClientSpec spec = WebsocketClientSpec.builder()
				.maxFramePayloadLength(SocketModeClient.this.maxFramePayload)
				.handlePing(true)
				.build();
			return SocketModeClient.this.httpClient.websocket(spec).uri(uri).handle(this::exchange).then();
		}

		private Mono<Void> exchange(WebsocketInbound in, WebsocketOutbound out) {
			this.outbound = out;
			this.lastFrame = now();
			Disposable ticks = Flux.interval(SocketModeClient.this.pingInterval, SocketModeClient.this.scheduler)
				.subscribe((tick) -> tick());
			Mono<Void> receiving = in.aggregateFrames(SocketModeClient.this.maxFramePayload)
				.receiveFrames()
				.doOnNext(this::received)
				.then()
				.doFinally((signal) -> {
					ticks.dispose();
					this.outgoing.tryEmitComplete();
				});
			return Mono.when(receiving, out.sendObject(this.outgoing.asFlux()).then());
		}

		private void tick() {
			if (now() - this.lastFrame > SocketModeClient.this.idleTimeout.toNanos()) {
				logger.warn("Socket Mode connection {} to {} received no frame for {} s; replacing it", this.id,
						this.host, SocketModeClient.this.idleTimeout.toSeconds());
				this.dropReason = "idle";
				ended(this, null);
				this.subscription.dispose();
				return;
			}
			send(new PingWebSocketFrame(Unpooled.wrappedBuffer("fluxgate".getBytes(StandardCharsets.US_ASCII))));
		}

		private void received(WebSocketFrame frame) {
			this.lastFrame = now();
			try {
				if (frame instanceof PingWebSocketFrame ping) {
					send(new PongWebSocketFrame(ping.content().retain()));
				}
				else if (frame instanceof TextWebSocketFrame text) {
					receivedText(text.text());
				}
				else if (!(frame instanceof PongWebSocketFrame)) {
					logger.warn("Socket Mode connection {} ignored a {} frame", this.id,
							frame.getClass().getSimpleName());
				}
			}
			catch (RuntimeException ex) {
				// Nothing a frame does ends the socket loop
				logger.warn("Socket Mode connection {} could not process a frame: {}", this.id, ex.toString());
			}
		}

		private void receivedText(String text) {
			JsonNode tree;
			try {
				tree = SocketModeClient.this.mapper.readTree(text);
			}
			catch (JacksonException ex) {
				logger.warn("Socket Mode connection {} ignored a frame that is not JSON: {}", this.id, excerpt(text));
				return;
			}
			if (tree == null || !tree.isObject()) {
				logger.warn("Socket Mode connection {} ignored a frame that is not a JSON object: {}", this.id,
						excerpt(text));
				return;
			}
			JsonNode idNode = tree.get("envelope_id");
			String envelopeId = (idNode != null && idNode.isString() && !idNode.stringValue().isBlank())
					? idNode.stringValue() : null;
			if (envelopeId != null) {
				// Before anything else: Slack shows the user an error when the ack is late
				ack(envelopeId);
			}
			Frame frame;
			try {
				frame = SocketModeClient.this.mapper.treeToValue(tree, Frame.class);
			}
			catch (JacksonException ex) {
				logger.warn("Socket Mode connection {} ignored a malformed frame{}: {}", this.id,
						(envelopeId != null) ? " (acknowledged)" : "", excerpt(text));
				return;
			}
			if (envelopeId != null) {
				envelope(frame, text);
			}
			else if ("hello".equals(frame.type())) {
				hello(this, frame);
			}
			else if ("disconnect".equals(frame.type())) {
				disconnect(this, (frame.reason() != null) ? frame.reason() : "unknown");
			}
			else {
				logger.debug("Socket Mode connection {} ignored a frame of type {}", this.id, frame.type());
			}
		}

		private void envelope(Frame frame, String text) {
			if (frame.type() == null || frame.type().isBlank() || frame.payload() == null || frame.payload().isNull()) {
				logger.warn("Socket Mode connection {} acknowledged and ignored an envelope without type or"
						+ " payload: {}", this.id, excerpt(text));
				return;
			}
			Envelope envelope = new Envelope(frame.envelopeId(), frame.type(), frame.payload(),
					Boolean.TRUE.equals(frame.acceptsResponsePayload()));
			try {
				SocketModeClient.this.observer.envelope(envelope.type());
			}
			catch (RuntimeException ex) {
				logger.warn("The Socket Mode observer failed on envelope({}): {}", envelope.type(), ex.toString());
			}
			// Off the socket's thread: a slow or blocking handler never delays the next envelope's ack
			Mono.defer(() -> SocketModeClient.this.handler.handle(envelope))
				.subscribeOn(SocketModeClient.this.handlerScheduler)
				.subscribe(null, (ex) -> logger.warn("The handler of Socket Mode envelope {} ({}) failed",
						envelope.envelopeId(), envelope.type(), ex));
		}

		private void ack(String envelopeId) {
			String ack = SocketModeClient.this.mapper.writeValueAsString(new Ack(envelopeId));
			send(new TextWebSocketFrame(ack));
		}

		private void send(WebSocketFrame frame) {
			Sinks.EmitResult result;
			synchronized (this) {
				result = this.outgoing.tryEmitNext(frame);
			}
			if (result.isFailure()) {
				ReferenceCountUtil.release(frame);
			}
		}

		Mono<Void> close(String why) {
			WebsocketOutbound out = this.outbound;
			if (out == null) {
				return Mono.fromRunnable(this.subscription::dispose);
			}
			return out.sendClose(1000, why)
				.timeout(CLOSE_TIMEOUT, SocketModeClient.this.scheduler)
				.onErrorComplete()
				.doFinally((signal) -> this.subscription.dispose());
		}

	}

	/**
	 * What Slack sends: {@code hello}, {@code disconnect}, or an envelope.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Frame(@JsonProperty("envelope_id") String envelopeId, String type, JsonNode payload,
			@JsonProperty("accepts_response_payload") Boolean acceptsResponsePayload, String reason,
			@JsonProperty("connection_info") ConnectionInfo connectionInfo,
			@JsonProperty("num_connections") Integer numConnections) {

	}

	/**
	 * The {@code connection_info} of a {@code hello}.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ConnectionInfo(@JsonProperty("app_id") String appId) {

	}

	/**
	 * The acknowledgement of an envelope.
	 */
	record Ack(@JsonProperty("envelope_id") String envelopeId) {

	}

	/**
	 * Builds a {@link SocketModeClient}.
	 */
	public static final class Builder {

		private SlackClient connections;

		private EnvelopeHandler handler;

		private SocketObserver observer = SocketObserver.NONE;

		private HttpClient httpClient = HttpClient.create();

		private Duration pingInterval = DEFAULT_PING_INTERVAL;

		private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

		private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;

		private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

		private int maxFramePayload = DEFAULT_MAX_FRAME_PAYLOAD;

		private Scheduler scheduler = Schedulers.parallel();

		private Scheduler handlerScheduler = Schedulers.boundedElastic();

		private Builder() {
		}

		/**
		 * Set the client that calls {@code apps.connections.open}, built with the app-level token ({@code xapp-…}).
		 * @param connections the client
		 * @return this builder
		 */
		public Builder connections(SlackClient connections) {
			this.connections = connections;
			return this;
		}

		/**
		 * Set what does the work of each envelope, once acknowledged.
		 * @param handler the handler
		 * @return this builder
		 */
		public Builder handler(EnvelopeHandler handler) {
			this.handler = handler;
			return this;
		}

		/**
		 * Set the observer, for metrics.
		 * @param observer the observer, none by default
		 * @return this builder
		 */
		public Builder observer(SocketObserver observer) {
			this.observer = observer;
			return this;
		}

		/**
		 * Set the HTTP client that opens the WebSocket connections, to use the application's proxy and TLS settings.
		 * @param httpClient the client, {@code HttpClient.create()} by default
		 * @return this builder
		 */
		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = httpClient;
			return this;
		}

		/**
		 * Set how often a ping is sent.
		 * @param pingInterval the interval, 30 seconds by default
		 * @return this builder
		 */
		public Builder pingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
			return this;
		}

		/**
		 * Set how long a connection may stay without any frame, pongs included, before it is replaced.
		 * @param idleTimeout the timeout, 90 seconds by default
		 * @return this builder
		 */
		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
			return this;
		}

		/**
		 * Set the first back-off, doubled after each failure up to the longest.
		 * @param initialBackoff the back-off, 1 second by default
		 * @return this builder
		 */
		public Builder initialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
			return this;
		}

		/**
		 * Set the longest back-off, also the pace of the retries after a permanent error such as
		 * {@code invalid_auth}.
		 * @param maxBackoff the back-off, 60 seconds by default
		 * @return this builder
		 */
		public Builder maxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
			return this;
		}

		/**
		 * Set the largest frame, once its fragments are aggregated.
		 * @param maxFramePayload the size in bytes, 1 MiB by default
		 * @return this builder
		 */
		public Builder maxFramePayload(int maxFramePayload) {
			this.maxFramePayload = maxFramePayload;
			return this;
		}

		/**
		 * Set the scheduler of the pings, the idle checks and the back-offs.
		 * @param scheduler the scheduler, {@code Schedulers.parallel()} by default
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = scheduler;
			return this;
		}

		/**
		 * Set the scheduler the handler runs on, off the socket's thread.
		 * @param handlerScheduler the scheduler, {@code Schedulers.boundedElastic()} by default
		 * @return this builder
		 */
		public Builder handlerScheduler(Scheduler handlerScheduler) {
			this.handlerScheduler = handlerScheduler;
			return this;
		}

		/**
		 * Build the client; {@link SocketModeClient#start()} opens its first connection.
		 * @return the client
		 */
		public SocketModeClient build() {
			return new SocketModeClient(this);
		}

	}

}
