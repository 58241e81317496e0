package dev.fluxgate.slack;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.jayway.jsonpath.JsonPath;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * Slack's limit on {@code chat.postMessage} as a strict stand-in enforces it: a token bucket per channel, refilled
 * continuously at {@code perSecond} up to {@code burst} on a clock that may be a test's virtual one, and HTTP 429 with {@code Retry-After} (whole seconds, rounded
 * up, as Slack sends it) for a message beyond it. Off until {@link #enforce(double, int)}.
 */
final class SlackRateLimit implements ResponseDefinitionTransformerV2 {

	private volatile double perSecond;

	private volatile int burst;

	private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();

	private final Map<String, List<Instant>> accepted = new ConcurrentHashMap<>();

	private volatile Clock clock = Clock.systemUTC();

	void enforce(double perSecond, int burst, Clock clock) {
		this.buckets.clear();
		this.refused.clear();
		this.accepted.clear();
		this.clock = clock;
		this.burst = burst;
		this.perSecond = perSecond;
	}

	void off() {
		this.perSecond = 0;
		this.clock = Clock.systemUTC();
		this.buckets.clear();
		this.refused.clear();
		this.accepted.clear();
	}

	/** When each message of a channel that the limit let through arrived, on the limit's clock. */
	List<Instant> accepted(String channel) {
		List<Instant> times = this.accepted.get(channel);
		return (times != null) ? List.copyOf(times) : List.of();
	}

	/** How many messages of a channel were answered with 429. */
	int refused(String channel) {
		AtomicInteger count = this.refused.get(channel);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public ResponseDefinition transform(ServeEvent serveEvent) {
		double rate = this.perSecond;
		if (rate <= 0 || !serveEvent.getRequest().getUrl().endsWith("/chat.postMessage")) {
			return serveEvent.getResponseDefinition();
		}
		String channel = JsonPath.read(serveEvent.getRequest().getBodyAsString(), "$.channel");
		Instant now = this.clock.instant();
		long waitMillis = take(channel, rate, now);
		if (waitMillis == 0) {
			this.accepted.computeIfAbsent(channel, (id) -> new CopyOnWriteArrayList<>()).add(now);
			return serveEvent.getResponseDefinition();
		}
		this.refused.computeIfAbsent(channel, (id) -> new AtomicInteger()).incrementAndGet();
		return responseDefinition().withStatus(429)
			.withHeader("Retry-After", String.valueOf((waitMillis + 999) / 1000))
			.withBody("")
			.build();
	}

	/** Take a token, returning 0, or how long until the next one. */
	private synchronized long take(String channel, double rate, Instant at) {
		long now = at.getEpochSecond() * 1_000_000_000L + at.getNano();
		double[] bucket = this.buckets.computeIfAbsent(channel, (id) -> new double[] { this.burst, now });
		bucket[0] = Math.min(this.burst, bucket[0] + (now - (long) bucket[1]) / 1e9 * rate);
		bucket[1] = now;
		if (bucket[0] >= 1) {
			bucket[0] -= 1;
			return 0;
		}
		return Math.max(1, (long) ((1 - bucket[0]) / rate * 1000));
	}

	@Override
	public String getName() {
		return "slack-rate-limit";
	}

}
