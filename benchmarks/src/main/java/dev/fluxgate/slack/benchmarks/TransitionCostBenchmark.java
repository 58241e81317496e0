package dev.fluxgate.slack.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.redis.RedisServer;
import dev.fluxgate.slack.redis.RedisThreadStore;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * What one state transition costs the thread that causes it, with Slack stood in for at 20 ms latency: Resilience4j
 * alone, our async listener (threads in memory, and in a local {@code redis-server}), our sync listener, and the
 * consumer a user would write by hand, doing a blocking HTTP POST.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TransitionCostBenchmark {

	@Param({ "no-listener", "fluxgate-async", "fluxgate-async-redis", "fluxgate-sync", "hand-written-blocking" })
	public String listener;

	private SlackServer slack;

	private CircuitBreaker circuitBreaker;

	private AbstractSlackListener bound;

	private boolean open;

	private RedisServer redis;

	@Setup
	public void bind() {
		this.slack = new SlackServer(Duration.ofMillis(20), 0, 0);
		this.circuitBreaker = CircuitBreaker.ofDefaults("payment");
		switch (this.listener) {
			case "fluxgate-async" -> this.bound = AsyncSlackListener.builder()
				.channel("C0BENCH")
				.token("xoxb-bench")
				.baseUrl(this.slack.baseUrl())
				.queueCapacity(Integer.MAX_VALUE)
				.closeTimeout(Duration.ofMillis(1))
				.build();
			case "fluxgate-async-redis" -> this.bound = withRedis(AsyncSlackListener.builder()
				.channel("C0BENCH")
				.token("xoxb-bench")
				.baseUrl(this.slack.baseUrl())
				.queueCapacity(Integer.MAX_VALUE)
				.closeTimeout(Duration.ofMillis(1))).build();
			case "fluxgate-sync" -> this.bound = SlackListener.builder()
				.channel("C0BENCH")
				.token("xoxb-bench")
				.baseUrl(this.slack.baseUrl())
				.build();
			case "hand-written-blocking" -> bindHandWritten();
			default -> {
			}
		}
		if (this.bound != null) {
			this.bound.bindTo(this.circuitBreaker);
		}
	}

	/**
	 * Keep the threads in a {@code redis-server} of the benchmark's own, as {@code fluxgate.slack.store=redis} does.
	 */
	private AsyncSlackListener.Builder withRedis(AsyncSlackListener.Builder builder) {
		try {
			this.redis = RedisServer.started();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		ReactiveStringRedisTemplate template = this.redis.template();
		return builder
			.threadStore(new FallbackThreadStore(
					new RedisThreadStore(template, "fluxgate:slack", Duration.ofDays(1), Duration.ofSeconds(1)),
					() -> DeliveryObserver.NONE))
			.fleet("bench", Duration.ofSeconds(10));
	}

	private void bindHandWritten() {
		HttpClient http = HttpClient.newHttpClient();
		String url = this.slack.baseUrl() + "/chat.postMessage";
		this.circuitBreaker.getEventPublisher().onStateTransition((event) -> {
			String body = "{\"channel\":\"C0BENCH\",\"text\":\"" + event.getCircuitBreakerName() + " is now "
					+ event.getStateTransition().getToState() + "\"}";
			try {
				http.send(HttpRequest.newBuilder(URI.create(url))
					.header("Authorization", "Bearer xoxb-bench")
					.header("Content-Type", "application/json; charset=utf-8")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.discarding());
			}
			catch (IOException | InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	@TearDown
	public void close() {
		if (this.bound instanceof AsyncSlackListener async) {
			async.close();
		}
		this.slack.close();
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Benchmark
	public void transition() {
		if (this.open) {
			this.circuitBreaker.transitionToClosedState();
		}
		else {
			this.circuitBreaker.transitionToOpenState();
		}
		this.open = !this.open;
	}

}
