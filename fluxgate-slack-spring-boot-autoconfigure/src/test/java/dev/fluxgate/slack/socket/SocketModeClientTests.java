package dev.fluxgate.slack.socket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the Socket Mode client talks to Slack, against the {@link SocketModeStandIn} over real HTTP and WebSockets.
 */
class SocketModeClientTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final SocketModeStandIn slack = new SocketModeStandIn();

	private final List<Envelope> handled = new CopyOnWriteArrayList<>();

	private final Observed observed = new Observed();

	private final LogCapture logs = new LogCapture();

	private Function<Envelope, Mono<Void>> work = (envelope) -> Mono.empty();

	private SocketModeClient client;

	@BeforeEach
	void startSlack() {
		this.slack.start();
	}

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
		this.slack.close();
		this.logs.close();
	}

	@Test
	void saysHelloAndKnowsItsAppId() {
		assertThat(connected().appId()).isEqualTo(SocketModeStandIn.APP_ID);
		assertThat(this.client.connected().blockFirst(WAIT)).isEqualTo(SocketModeStandIn.APP_ID);
		assertThat(this.observed.states).containsExactly(SocketState.CONNECTED);
		assertThat(this.slack.openConnections()).isEqualTo(1);
		this.client.close();
		assertThat(this.client.state()).isEqualTo(SocketState.STOPPED);
		await().atMost(WAIT).until(() -> this.slack.openConnections() == 0);
		this.client.close();
		assertThat(this.observed.states).containsExactly(SocketState.CONNECTED, SocketState.STOPPED);
	}

	@Test
	void acksBeforeTheWorkEvenWhenTheWorkIsSlow() {
		this.work = (envelope) -> Mono.fromRunnable(() -> sleep(Duration.ofSeconds(5)));
		connected();
		List<String> ids = List.of(this.slack.push("interactive", "{\"n\":1}"),
				this.slack.push("interactive", "{\"n\":2}"), this.slack.push("interactive", "{\"n\":3}"));
		await().atMost(WAIT).until(() -> this.slack.acks().size() == 3);
		assertThat(ids).allSatisfy((id) -> assertThat(this.slack.ackDelay(id)).isLessThan(Duration.ofSeconds(1)));
		// Each one's work started without waiting for the one before it
		await().atMost(Duration.ofSeconds(1)).until(() -> this.handled.size() == 3);
	}

	@Test
	void refreshOpensTheNewConnectionBeforeClosingTheOldAndLosesNoEnvelope() {
		connected();
		int old = this.slack.newestLink();
		this.slack.holdHello();
		List<String> pushed = new ArrayList<>();
		this.slack.disconnect(old, "warning");
		await().atMost(WAIT).until(() -> this.slack.openConnections() == 2);
		for (int i = 0; i < 5; i++) {
			pushed.add(this.slack.push(old, "interactive", Map.of("n", i)));
		}
		this.slack.disconnect(old, "refresh_requested");
		for (int i = 5; i < 10; i++) {
			pushed.add(this.slack.push(old, "interactive", Map.of("n", i)));
		}
		await().atMost(WAIT).until(() -> this.handled.size() == 10);
		// At most one extra connection while the new one is not up, and the old one still works
		assertThat(this.slack.totalConnections()).isEqualTo(2);
		assertThat(this.slack.isOpen(old)).isTrue();
		this.slack.releaseHello();
		await().atMost(WAIT).until(() -> !this.slack.isOpen(old));
		assertThat(this.client.state()).isEqualTo(SocketState.CONNECTED);
		pushed.add(this.slack.push("interactive", Map.of("n", 10)));
		await().atMost(WAIT).until(() -> this.handled.size() == 11);
		assertThat(this.handled).extracting(Envelope::envelopeId).containsExactlyInAnyOrderElementsOf(pushed);
		assertThat(this.slack.acks()).extracting(SocketModeStandIn.Ack::envelopeId)
			.containsExactlyInAnyOrderElementsOf(pushed);
		assertThat(this.slack.totalConnections()).isEqualTo(2);
		assertThat(this.slack.openConnections()).isEqualTo(1);
		assertThat(this.observed.reconnects).containsExactly("warning");
		assertThat(this.observed.states).containsExactly(SocketState.CONNECTED);
		assertThat(this.client.connected().blockFirst(WAIT)).isEqualTo(SocketModeStandIn.APP_ID);
	}

	@Test
	void tooManyWebsocketsBacksOffAndReconnects() {
		connected();
		long before = System.nanoTime();
		this.slack.disconnect(this.slack.newestLink(), "too_many_websockets");
		await().atMost(WAIT).until(() -> this.slack.totalConnections() == 2 && this.slack.openConnections() == 1
				&& this.client.state() == SocketState.CONNECTED);
		List<Long> opens = this.slack.openRequests();
		assertThat(Duration.ofNanos(opens.get(1) - before)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		assertThat(this.observed.reconnects).containsExactly("too_many_websockets");
		assertThat(this.observed.states).containsExactly(SocketState.CONNECTED, SocketState.RECONNECTING,
				SocketState.CONNECTED);
	}

	@Test
	void ratelimitedConnectionsOpenBacksOffWithJitter() {
		this.slack.refuseOpens(2, "ratelimited");
		this.slack.rateLimitOpens(1, 1);
		connected();
		List<Long> opens = this.slack.openRequests();
		assertThat(opens).hasSize(4);
		// From 100 ms doubling, each wait between half its nominal back-off and all of it; Retry-After when longer
		assertThat(gap(opens, 1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(600));
		assertThat(gap(opens, 2)).isBetween(Duration.ofMillis(100), Duration.ofMillis(700));
		assertThat(gap(opens, 3)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
		assertThat(this.observed.reconnects).containsExactly("connect_failed", "connect_failed", "connect_failed");
		assertThat(this.observed.states).containsExactly(SocketState.RECONNECTING, SocketState.CONNECTED);
	}

	@Test
	void aFragmentedFrameOver64KiBIsAggregated() {
		connected();
		String text = "x".repeat(200 * 1024);
		String id = this.slack.pushFragmented("interactive", Map.of("text", text), 16 * 1024);
		await().atMost(WAIT).until(() -> this.handled.size() == 1);
		assertThat(this.handled.get(0).envelopeId()).isEqualTo(id);
		assertThat(this.handled.get(0).payload().get("text").stringValue()).isEqualTo(text);
		// And one frame over 64 KiB, unfragmented
		String whole = this.slack.push("interactive", Map.of("text", text));
		await().atMost(WAIT).until(() -> this.handled.size() == 2);
		assertThat(this.handled.get(1).payload().get("text").stringValue()).isEqualTo(text);
		assertThat(this.slack.acks()).extracting(SocketModeStandIn.Ack::envelopeId).containsExactly(id, whole);
		assertThat(this.slack.totalConnections()).isEqualTo(1);
	}

	@Test
	void aMalformedEnvelopeIsAckedLoggedAndIgnored() {
		connected();
		this.slack.pushRaw("not JSON " + "y".repeat(1000));
		this.slack.pushRaw("{\"envelope_id\":\"no-payload\",\"type\":\"interactive\"}");
		this.slack.pushRaw("{\"envelope_id\":\"bad-flag\",\"type\":\"interactive\",\"payload\":{},"
				+ "\"accepts_response_payload\":{\"no\":1}}");
		String good = this.slack.push("interactive", "{\"ok\":true}");
		await().atMost(WAIT).until(() -> this.handled.size() == 1 && this.slack.acks().size() == 3);
		assertThat(this.handled).extracting(Envelope::envelopeId).containsExactly(good);
		assertThat(this.slack.acks()).extracting(SocketModeStandIn.Ack::envelopeId)
			.containsExactly("no-payload", "bad-flag", good);
		List<String> warnings = this.logs.messages(Level.WARN);
		assertThat(warnings).hasSize(3);
		assertThat(warnings.get(0)).contains("not JSON").contains("(1009 chars)").hasSizeLessThan(400);
		assertThat(warnings.get(1)).contains("without type or payload");
		assertThat(warnings.get(2)).contains("malformed");
		assertThat(this.client.state()).isEqualTo(SocketState.CONNECTED);
		assertThat(this.slack.totalConnections()).isEqualTo(1);
	}

	@Test
	void linkDisabledStopsAndSaysSo() {
		connected();
		this.slack.disconnect(this.slack.newestLink(), "link_disabled");
		await().atMost(WAIT).until(() -> this.client.state() == SocketState.DISABLED);
		await().atMost(WAIT).until(() -> this.slack.openConnections() == 0);
		int opens = this.slack.openRequests().size();
		sleep(Duration.ofMillis(500));
		assertThat(this.slack.totalConnections()).isEqualTo(1);
		assertThat(this.slack.openRequests()).hasSize(opens);
		assertThat(this.logs.messages(Level.WARN)).filteredOn((line) -> line.contains("link_disabled")).hasSize(1);
		assertThat(this.observed.states).containsExactly(SocketState.CONNECTED, SocketState.DISABLED);
		assertThat(this.observed.reconnects).isEmpty();
	}

	@Test
	void anIdleSocketIsReplaced() {
		connected();
		int old = this.slack.newestLink();
		this.slack.goSilent(old);
		await().atMost(WAIT).until(() -> this.slack.totalConnections() == 2 && !this.slack.isOpen(old)
				&& this.client.state() == SocketState.CONNECTED);
		assertThat(this.observed.reconnects).containsExactly("idle");
		String id = this.slack.push("interactive", "{}");
		await().atMost(WAIT).until(() -> this.handled.size() == 1);
		assertThat(this.handled.get(0).envelopeId()).isEqualTo(id);
	}

	@Test
	void aHandlerThatThrowsDoesNotEndTheSocket() {
		this.work = (envelope) -> switch (envelope.type()) {
			case "throws" -> throw new IllegalStateException("thrown");
			case "signals" -> Mono.error(new IllegalStateException("signalled"));
			default -> Mono.empty();
		};
		connected();
		this.slack.push("throws", "{}");
		this.slack.push("signals", "{}");
		this.slack.push("interactive", "{}");
		await().atMost(WAIT).until(() -> this.handled.size() == 3 && this.slack.acks().size() == 3);
		await().atMost(WAIT).until(() -> this.logs.messages(Level.WARN).size() == 2);
		assertThat(this.logs.messages(Level.WARN)).allSatisfy((line) -> assertThat(line).contains("failed"));
		assertThat(this.client.state()).isEqualTo(SocketState.CONNECTED);
		assertThat(this.slack.totalConnections()).isEqualTo(1);
		assertThat(this.observed.envelopes).containsExactlyInAnyOrder("throws", "signals", "interactive");
	}

	@Test
	void theAppTokenNeverAppearsInLogs() {
		this.logs.trace("dev.fluxgate", "reactor.netty", "org.springframework.web", "io.netty");
		// A wrong token: logged once at ERROR, retried at the longest back-off
		SocketModeClient refused = builder().connections(this.slack.appClient("xapp-1-wrong-token"))
			.maxBackoff(Duration.ofMillis(200))
			.build();
		refused.start();
		await().atMost(WAIT).until(() -> this.slack.openRequests().size() >= 3);
		refused.close();
		assertThat(this.logs.messages(Level.ERROR)).singleElement().asString().contains("invalid_auth");
		assertThat(this.client).isNull();
		this.slack.refuseOpens(1, "ratelimited");
		connected();
		this.slack.push("interactive", "{}");
		this.slack.disconnect(this.slack.newestLink(), "refresh_requested");
		await().atMost(WAIT).until(() -> this.slack.totalConnections() == 2 && this.slack.openConnections() == 1);
		this.client.close();
		assertThat(this.logs.all()).isNotEmpty().noneMatch((line) -> line.contains("xapp-"));
		assertThat(this.logs.all("dev.fluxgate")).noneMatch((line) -> line.contains("ticket="));
		assertThat(this.client.toString()).doesNotContain("xapp-");
		assertThat(this.slack.appClient().toString()).doesNotContain("xapp-");
	}

	private SocketModeClient connected() {
		this.client = builder().build();
		this.client.start();
		await().atMost(WAIT).until(() -> this.client.state() == SocketState.CONNECTED);
		return this.client;
	}

	private SocketModeClient.Builder builder() {
		return SocketModeClient.builder()
			.connections(this.slack.appClient())
			.handler((envelope) -> {
				this.handled.add(envelope);
				return this.work.apply(envelope);
			})
			.observer(this.observed)
			.pingInterval(Duration.ofMillis(200))
			.idleTimeout(Duration.ofSeconds(1))
			.initialBackoff(Duration.ofMillis(100))
			.maxBackoff(Duration.ofSeconds(2));
	}

	private static Duration gap(List<Long> times, int index) {
		return Duration.ofNanos(times.get(index) - times.get(index - 1));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static final class Observed implements SocketObserver {

		private final List<SocketState> states = new CopyOnWriteArrayList<>();

		private final List<String> reconnects = new CopyOnWriteArrayList<>();

		private final List<String> envelopes = new CopyOnWriteArrayList<>();

		@Override
		public void stateChanged(SocketState state) {
			this.states.add(state);
		}

		@Override
		public void reconnecting(String reason) {
			this.reconnects.add(reason);
		}

		@Override
		public void envelope(String type) {
			this.envelopes.add(type);
		}

	}

	/**
	 * What the client's logger and, when asked, the libraries' loggers log, with each event's throwable.
	 */
	private static final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

		private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

		private final Map<Logger, Level> levels = new HashMap<>();

		private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

		LogCapture() {
			setName("socket-mode-tests");
			start();
			this.root.addAppender(this);
		}

		void trace(String... loggers) {
			for (String name : loggers) {
				Logger logger = (Logger) LoggerFactory.getLogger(name);
				this.levels.putIfAbsent(logger, logger.getLevel());
				logger.setLevel(Level.TRACE);
			}
		}

		@Override
		protected void append(ILoggingEvent event) {
			this.events.add(event);
		}

		List<String> messages(Level level) {
			return this.events.stream()
				.filter((event) -> event.getLevel() == level
						&& event.getLoggerName().equals(SocketModeClient.class.getName()))
				.map(ILoggingEvent::getFormattedMessage)
				.toList();
		}

		List<String> all() {
			return all("");
		}

		List<String> all(String loggerPrefix) {
			return this.events.stream()
				.filter((event) -> event.getLoggerName().startsWith(loggerPrefix))
				.map((event) -> event.getFormattedMessage() + ((event.getThrowableProxy() != null)
						? ThrowableProxyUtil.asString(event.getThrowableProxy()) : ""))
				.toList();
		}

		@Override
		public void close() {
			this.root.detachAppender(this);
			this.levels.forEach(Logger::setLevel);
			stop();
		}

	}

}
