package dev.fluxgate.slack;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

/**
 * Slack's Web API stood in for by WireMock on loopback: answers {@code chat.postMessage} like Slack and records what
 * it received. As a JUnit extension it forgets every request after each test and stops after the last.
 */
public final class SlackStandIn implements AutoCloseable, AfterEachCallback, AfterAllCallback {

	public static final String CHANNEL = "C0123456789";

	public static final String TOKEN = "xoxb-test-token";

	public static final String WORKSPACE_URL = "https://fluxgate-test.slack.com/";

	private final WireMockServer server;

	private final int port;

	private final SlackRateLimit rateLimit = new SlackRateLimit();

	private final Unanswered unanswered = new Unanswered();

	public SlackStandIn() {
		this.server = new WireMockServer(
				options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20).extensions(this.rateLimit, this.unanswered));
		this.server.start();
		this.port = this.server.port();
		reset();
	}

	private SlackStandIn(int port) {
		this.server = new WireMockServer(
				options().port(port).bindAddress("127.0.0.1").containerThreads(20).extensions(this.rateLimit, this.unanswered));
		this.port = port;
	}

	/** A stand-in on a fixed port that is not up yet: Slack unreachable until {@link #start()}. */
	public static SlackStandIn down(int port) {
		return new SlackStandIn(port);
	}

	public void start() {
		this.server.start();
		reset();
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.port + "/api";
	}

	/**
	 * Point a listener builder at this stand-in: its channel, token and base URL.
	 * @param <B> the builder's type
	 * @param builder the builder
	 * @return the builder
	 */
	public <B extends AbstractSlackListener.Builder<B>> B configure(B builder) {
		return builder.channel(CHANNEL).token(TOKEN).baseUrl(baseUrl());
	}

	public WireMockServer server() {
		return this.server;
	}

	/** Forget every request and stub, then answer every message with ok:true and a fresh ts. */
	public void reset() {
		this.rateLimit.off();
		this.unanswered.release();
		this.unanswered.count.set(0);
		this.server.resetAll();
		this.server.stubFor(postMessage().atPriority(10).willReturn(ok()));
		this.server.stubFor(update().atPriority(10).willReturn(updated()));
		this.server.stubFor(post(urlEqualTo("/api/auth.test")).atPriority(10)
			.willReturn(json("{\"ok\":true,\"url\":\"" + WORKSPACE_URL
					+ "\",\"team\":\"Fluxgate\",\"user\":\"alerts\",\"team_id\":\"T1\",\"bot_id\":\"B1\"}")));
		this.server.stubFor(post(urlEqualTo("/api/chat.postEphemeral")).atPriority(10)
			.willReturn(json("{\"ok\":true,\"message_ts\":\"1700000000.000001\"}")));
		this.server.stubFor(post(urlEqualTo("/api/usergroups.users.list")).atPriority(10)
			.willReturn(error("no_such_subteam")));
	}

	/** Every request to {@code chat.postEphemeral}, in the order received. */
	public List<Post> ephemerals() {
		return requests("/chat.postEphemeral");
	}

	/** The form bodies of every request to {@code usergroups.users.list}, in the order received. */
	public List<String> usergroupLookups() {
		return this.server.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getUrl().endsWith("/usergroups.users.list"))
			.map((event) -> event.getRequest().getBodyAsString())
			.toList();
	}

	/**
	 * Enforce Slack's {@code chat.postMessage} limit until the next reset: a token bucket per channel, 429 with
	 * {@code Retry-After} beyond it.
	 */
	public void enforceRateLimit(double perSecond, int burst) {
		enforceRateLimit(perSecond, burst, Clock.systemUTC());
	}

	/**
	 * Enforce Slack's {@code chat.postMessage} limit until the next reset, its buckets refilled on the given clock,
	 * such as a listener's virtual one.
	 */
	public void enforceRateLimit(double perSecond, int burst, Clock clock) {
		this.rateLimit.enforce(perSecond, burst, clock);
	}

	/** When each message of a channel that the rate limit let through arrived, on the limit's clock. */
	public List<Instant> acceptedTimes(String channel) {
		return this.rateLimit.accepted(channel);
	}

	/**
	 * Answer nothing, accepted or refused, until the returned hold is closed: what a test does meanwhile cannot race
	 * Slack's answers, however slow the machine. A request is decided, and recorded in {@link #posts()}, when it
	 * arrives; only its answer waits. The stand-in's reset releases the hold too.
	 * @return the hold, to close once the answers may go
	 */
	public Hold holdAnswers() {
		return holdAnswers((body) -> true);
	}

	/**
	 * Hold only the answers to the requests whose body contains the given text, as {@link #holdAnswers()} holds every
	 * answer: a message the listener sent is on its way for as long as the test needs.
	 * @param text what the body of a request whose answer is held contains
	 * @return the hold, to close once the answers may go
	 */
	public Hold holdAnswersTo(String text) {
		return holdAnswers((body) -> body.contains(text));
	}

	private Hold holdAnswers(Predicate<String> held) {
		CountDownLatch hold = this.unanswered.hold(held);
		return hold::countDown;
	}

	/** Answers held until closed. */
	public interface Hold extends AutoCloseable {

		@Override
		void close();

	}

	/** How many requests the stand-in has received and not yet answered. */
	public int unanswered() {
		return this.unanswered.count.get();
	}

	/** How many messages of a channel were answered with 429. */
	public int rateLimited(String channel) {
		return this.rateLimit.refused(channel);
	}

	public static MappingBuilder update() {
		return post(urlEqualTo("/api/chat.update"));
	}

	public static ResponseDefinitionBuilder updated() {
		return json("{\"ok\":true,\"channel\":\"{{jsonPath request.body '$.channel'}}\",\"ts\":\"{{jsonPath request.body '$.ts'}}\"}")
			.withTransformers("response-template");
	}

	public static ResponseDefinitionBuilder json(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
	}

	/** Every request to {@code chat.update}, in the order received. */
	public List<Post> updates() {
		return requests("/chat.update");
	}

	public static MappingBuilder postMessage() {
		return post(urlEqualTo("/api/chat.postMessage"));
	}

	public static ResponseDefinitionBuilder ok() {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json; charset=utf-8")
			.withBody("{\"ok\":true,\"channel\":\"{{jsonPath request.body '$.channel'}}\","
					+ "\"ts\":\"1700000000.{{randomValue length=9 type='NUMERIC'}}\",\"message\":{}}")
			.withTransformers("response-template");
	}

	public static ResponseDefinitionBuilder error(String code) {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json; charset=utf-8")
			.withBody("{\"ok\":false,\"error\":\"" + code + "\"}");
	}

	public void stub(MappingBuilder mapping) {
		this.server.stubFor(mapping);
	}

	/** Every request to {@code chat.postMessage}, in the order received. */
	public List<Post> posts() {
		return requests("/chat.postMessage");
	}

	private List<Post> requests(String method) {
		List<ServeEvent> events = new ArrayList<>(this.server.getAllServeEvents());
		Collections.reverse(events);
		return events.stream()
			.filter((event) -> event.getRequest().getUrl().endsWith(method))
			.map(Post::new)
			.toList();
	}

	/** Requests to {@code chat.postMessage} that Slack answered with a ts. */
	public List<Post> delivered() {
		return posts().stream().filter((post) -> post.ts() != null).toList();
	}

	public List<Post> awaitPosts(int count) {
		await().atMost(15, TimeUnit.SECONDS).until(() -> posts().size() >= count);
		return posts();
	}

	/** Registers the seed's environment variables and the base URL, so that the starter posts here. */
	public void addSeedVariables(DynamicPropertyRegistry properties) {
		properties.add("SLACK_BOT_TOKEN", () -> TOKEN);
		properties.add("SLACK_CHANNEL_ID", () -> CHANNEL);
		properties.add("fluxgate.slack.base-url", this::baseUrl);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		reset();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		this.server.stop();
	}

	/** One request Slack received, with the ts it answered. */
	public static final class Post {

		private final ServeEvent event;

		private final DocumentContext body;

		private final String ts;

		Post(ServeEvent event) {
			this.event = event;
			this.body = JsonPath.parse(event.getRequest().getBodyAsString());
			String answer = (event.getResponse() != null) ? event.getResponse().getBodyAsString() : null;
			DocumentContext answerJson = (answer != null && answer.startsWith("{")) ? JsonPath.parse(answer) : null;
			this.ts = (answerJson != null && Boolean.TRUE.equals(read(answerJson, "$.ok"))) ? read(answerJson, "$.ts")
					: null;
		}

		private static <T> T read(DocumentContext json, String path) {
			try {
				return json.read(path);
			}
			catch (PathNotFoundException ex) {
				return null;
			}
		}

		private String string(String path) {
			Object value = read(this.body, path);
			return (value != null) ? value.toString() : null;
		}

		public String rawBody() {
			return this.event.getRequest().getBodyAsString();
		}

		public String header(String name) {
			return this.event.getRequest().getHeader(name);
		}

		public String ts() {
			return this.ts;
		}

		public String threadTs() {
			return string("$.thread_ts");
		}

		public boolean hasReplyBroadcast() {
			return read(this.body, "$.reply_broadcast") != null;
		}

		public boolean broadcast() {
			return Boolean.TRUE.equals(read(this.body, "$.reply_broadcast"));
		}

		public String section() {
			return string("$.attachments[0].blocks[0].text.text");
		}

		public String text() {
			return string("$.text");
		}

		/** The {@code action_id} of each button of the message, in order; empty without buttons. */
		public List<String> buttons() {
			List<String> ids = read(this.body, "$.attachments[0].blocks[?(@.type == 'actions')].elements[*].action_id");
			return (ids != null) ? ids : List.of();
		}

		/** The value the message's buttons carry, or {@code null} without buttons. */
		public String buttonValue() {
			List<String> values = read(this.body, "$.attachments[0].blocks[?(@.type == 'actions')].elements[*].value");
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		/** The text of the message's context block, or {@code null}. */
		public String context() {
			List<String> texts = read(this.body, "$.attachments[0].blocks[?(@.type == 'context')].elements[0].text");
			return (texts != null && !texts.isEmpty()) ? texts.get(0) : null;
		}

		/** The value at a JSON path of the body, or {@code null}. */
		public String at(String path) {
			return string(path);
		}

		public String channel() {
			return string("$.channel");
		}

		public String bodyTs() {
			return string("$.ts");
		}

		public String block(int block, int field) {
			return string("$.attachments[0].blocks[" + block + "].fields[" + field + "].text");
		}

		public String title() {
			String section = section();
			return section.substring(1, section.length() - 1);
		}

		public String color() {
			return string("$.attachments[0].color");
		}

		public String field(int index) {
			return block(1, index);
		}

		public String circuitBreaker() {
			return field(0).substring(field(0).indexOf('\n') + 1);
		}

		public String transition() {
			return field(1).substring(field(1).indexOf('\n') + 1);
		}

		public String description() {
			return field(3).substring(field(3).indexOf('\n') + 1);
		}

		@Override
		public String toString() {
			return rawBody() + " -> ts=" + this.ts;
		}

	}

	/**
	 * Counts the requests received and not yet answered, so that a test on virtual time holds its clock while Slack
	 * is answering, as real Slack's time does not stop; and holds the answers a test asks it to hold.
	 */
	private static final class Unanswered implements ServeEventListener {

		private final AtomicInteger count = new AtomicInteger();

		private volatile CountDownLatch hold = new CountDownLatch(0);

		private volatile Predicate<String> held = (body) -> false;

		CountDownLatch hold(Predicate<String> held) {
			release();
			this.held = held;
			this.hold = new CountDownLatch(1);
			return this.hold;
		}

		void release() {
			this.hold.countDown();
		}

		@Override
		public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
			this.count.incrementAndGet();
		}

		@Override
		public void beforeResponseSent(ServeEvent serveEvent, Parameters parameters) {
			CountDownLatch hold = this.hold;
			if (hold.getCount() == 0 || !this.held.test(serveEvent.getRequest().getBodyAsString())) {
				return;
			}
			try {
				hold.await(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
			this.count.updateAndGet((count) -> Math.max(0, count - 1));
		}

		@Override
		public boolean applyGlobally() {
			return true;
		}

		@Override
		public String getName() {
			return "unanswered";
		}

	}

}
