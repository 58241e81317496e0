package dev.fluxgate.slack.demo.recorder;

import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Slack's Socket Mode, stood in for on the demo's own server: {@code apps.connections.open} hands out a {@code ws}
 * link with a one-time ticket, each link says {@code hello}, and the page's clicks arrive on the newest link as
 * {@code interactive} envelopes, whose acknowledgements are recorded.
 * <p>
 * The demo's own Socket Mode client holds a link to this server, which its graceful shutdown would wait for: the links
 * close first, going away as Slack's do.
 */
@Component
@ConditionalOnBooleanProperty("demo.recorder.enabled")
public class SocketModeStandIn implements WebSocketHandler, SmartLifecycle {

	/** The demo's app-level token, the only one {@code apps.connections.open} accepts. */
	public static final String APP_TOKEN = "xapp-1-ADEMO-demo";

	/** The app id each {@code hello} carries. */
	public static final String APP_ID = "ADEMO";

	/** The path of the WebSocket links. */
	public static final String PATH = "/slack-socket";

	private static final Logger terminal = LoggerFactory.getLogger("slack");

	private final JsonMapper mapper;

	private final Set<String> tickets = ConcurrentHashMap.newKeySet();

	private final Deque<Link> links = new ConcurrentLinkedDeque<>();

	private final Map<String, Sinks.One<Ack>> awaited = new ConcurrentHashMap<>();

	private final List<Ack> acks = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	SocketModeStandIn(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Return a new one-time ticket for a link.
	 * @return the ticket
	 */
	String ticket() {
		String ticket = UUID.randomUUID().toString();
		this.tickets.add(ticket);
		return ticket;
	}

	/**
	 * How many links are open.
	 * @return the count
	 */
	public int openLinks() {
		return this.links.size();
	}

	/**
	 * The acknowledgements received, in order.
	 * @return the acknowledgements
	 */
	public List<Ack> acks() {
		return List.copyOf(this.acks);
	}

	/**
	 * Send an envelope on the newest link, as Slack hands each envelope to one of the app's connections, and wait for
	 * its acknowledgement.
	 * @param type the envelope's type, such as {@code interactive}
	 * @param payload the payload, written by the mapper
	 * @param deadline how long to wait for the acknowledgement: Slack shows the user an error after about 3 s
	 * @return what became of it; empty when no link is open
	 */
	public Mono<Delivery> deliver(String type, Object payload, Duration deadline) {
		Link link = this.links.peekLast();
		if (link == null) {
			return Mono.empty();
		}
		String envelopeId = UUID.randomUUID().toString();
		Sinks.One<Ack> ack = Sinks.one();
		this.awaited.put(envelopeId, ack);
		long sentAt = System.nanoTime();
		link.send(new Envelope(envelopeId, type, this.mapper.valueToTree(payload), false));
		return ack.asMono()
			.map((received) -> new Delivery(envelopeId, true, Duration.ofNanos(received.nanoTime() - sentAt)))
			.timeout(deadline, Mono.fromSupplier(() -> new Delivery(envelopeId, false, null)))
			.doFinally((signal) -> this.awaited.remove(envelopeId));
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		String ticket = UriComponentsBuilder.fromUri(session.getHandshakeInfo().getUri())
			.build()
			.getQueryParams()
			.getFirst("ticket");
		// A ticket is good for one link, as Slack's
		if (ticket == null || !this.tickets.remove(ticket)) {
			return session.close(CloseStatus.POLICY_VIOLATION);
		}
		Link link = new Link(session);
		this.links.addLast(link);
		terminal.info("Socket Mode: link {} open", this.links.size());
		link.send(new Hello("hello", this.links.size(), new ConnectionInfo(APP_ID), new DebugInfo("fluxgate-demo")));
		Mono<Void> receiving = session.receive()
			.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
			.map(WebSocketMessage::getPayloadAsText)
			.doOnNext(this::received)
			.then()
			.doFinally((signal) -> {
				this.links.remove(link);
				link.outgoing.tryEmitComplete();
			});
		return Mono.when(receiving, session.send(link.outgoing.asFlux().map(session::textMessage)));
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.links.forEach((link) -> link.session.close(CloseStatus.GOING_AWAY).subscribe());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Before the web server's graceful shutdown
		return SmartLifecycle.DEFAULT_PHASE;
	}

	private void received(String text) {
		long arrived = System.nanoTime();
		try {
			AckFrame frame = this.mapper.readValue(text, AckFrame.class);
			if (frame.envelopeId() == null) {
				return;
			}
			Ack ack = new Ack(frame.envelopeId(), arrived);
			this.acks.add(ack);
			Sinks.One<Ack> awaiting = this.awaited.get(frame.envelopeId());
			if (awaiting != null) {
				awaiting.tryEmitValue(ack);
			}
		}
		catch (JacksonException ex) {
			terminal.warn("Socket Mode: a frame that is no acknowledgement ({})", ex.getOriginalMessage());
		}
	}

	/**
	 * An acknowledgement received.
	 *
	 * @param envelopeId the envelope's id
	 * @param nanoTime when it arrived, on {@link System#nanoTime()}
	 */
	public record Ack(String envelopeId, long nanoTime) {
	}

	/**
	 * An envelope sent.
	 *
	 * @param envelopeId its id
	 * @param acknowledged whether the app acknowledged it within the deadline
	 * @param ackedAfter how long after sending, or {@code null}
	 */
	public record Delivery(String envelopeId, boolean acknowledged, Duration ackedAfter) {
	}

	record Hello(String type, @JsonProperty("num_connections") int numConnections,
			@JsonProperty("connection_info") ConnectionInfo connectionInfo,
			@JsonProperty("debug_info") DebugInfo debugInfo) {
	}

	record ConnectionInfo(@JsonProperty("app_id") String appId) {
	}

	record DebugInfo(String host) {
	}

	record Envelope(@JsonProperty("envelope_id") String envelopeId, String type, JsonNode payload,
			@JsonProperty("accepts_response_payload") boolean acceptsResponsePayload) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record AckFrame(@JsonProperty("envelope_id") String envelopeId) {
	}

	private final class Link {

		private final WebSocketSession session;

		private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();

		Link(WebSocketSession session) {
			this.session = session;
		}

		synchronized void send(Object frame) {
			this.outgoing.tryEmitNext(SocketModeStandIn.this.mapper.writeValueAsString(frame));
		}

	}

}
