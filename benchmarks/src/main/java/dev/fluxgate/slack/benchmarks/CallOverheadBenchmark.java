package dev.fluxgate.slack.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.fluxgate.slack.AsyncSlackListener;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerEvent;
import io.github.resilience4j.consumer.CircularEventConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a no-op call through a circuit breaker costs: with no event consumer at all, with only our listener bound,
 * with resilience4j-spring-boot's default event buffer, and with both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallOverheadBenchmark {

	private static final Supplier<String> NO_OP = () -> "ok";

	@Param({ "no-consumer", "fluxgate", "r4j-default", "r4j-default+fluxgate" })
	public String setup;

	private CircuitBreaker circuitBreaker;

	private AsyncSlackListener listener;

	@Setup
	public void bind() {
		this.circuitBreaker = CircuitBreaker.ofDefaults("payment");
		if (this.setup.startsWith("r4j-default")) {
			this.circuitBreaker.getEventPublisher().onEvent(new CircularEventConsumer<CircuitBreakerEvent>(100));
		}
		if (this.setup.endsWith("fluxgate")) {
			this.listener = AsyncSlackListener.builder()
				.channel("C0BENCH")
				.token("xoxb-bench")
				.baseUrl("http://127.0.0.1:9/api")
				.build();
			this.listener.bindTo(this.circuitBreaker);
		}
	}

	@TearDown
	public void close() {
		if (this.listener != null) {
			this.listener.close();
		}
	}

	@Benchmark
	public String call() {
		return this.circuitBreaker.executeSupplier(NO_OP);
	}

}
