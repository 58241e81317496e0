package dev.fluxgate.slack;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.fluxgate.slack.message.Template;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A subclass whose template hook throws: every transition is still told, with the templates the listener was built
 * with, and the hook is called once.
 */
@ExtendWith(OutputCaptureExtension.class)
class TemplateHookFailureTests {

	@RegisterExtension
	static final ListenerFixture fixture = ListenerFixture.onRealTime();

	static final AtomicInteger calls = new AtomicInteger();

	static class BrokenSync extends SlackListener {

		BrokenSync(SlackListener.Builder builder) {
			super(builder);
		}

		@Override
		protected Template fallbackTemplate() {
			calls.incrementAndGet();
			throw new IllegalStateException("bundle missing");
		}

	}

	static class BrokenAsync extends AsyncSlackListener {

		BrokenAsync(AsyncSlackListener.Builder builder) {
			super(builder);
		}

		@Override
		protected Template fallbackTemplate() {
			calls.incrementAndGet();
			throw new IllegalStateException("bundle missing");
		}

	}

	@Test
	void syncListenerWhoseTemplateHookThrowsStillTellsEveryTransition(CapturedOutput output) {
		calls.set(0);
		SlackListener.Builder builder = fixture.configure(SlackListener.builder()).deadline(Duration.ofSeconds(2));
		fixture.use(new BrokenSync(builder));
		CircuitBreaker circuitBreaker = fixture.bound("payment");
		assertThatCode(circuitBreaker::transitionToOpenState).doesNotThrowAnyException();
		circuitBreaker.transitionToHalfOpenState();
		assertThat(fixture.outcomes().delivered).hasSize(2);
		assertThat(fixture.slack().posts()).extracting(SlackStandIn.Post::title)
			.containsExactly("🚨 Circuit Breaker Triggered", "🔄 Attempting Circuit Breaker Recovery");
		assertThat(calls).as("the hook is called once").hasValue(1);
		assertThat(output.getAll()).containsOnlyOnce("transitionTemplates() or fallbackTemplate() failed")
			.contains("bundle missing");
	}

	@Test
	void asyncListenerWhoseTemplateHookThrowsStillTellsEveryTransition() {
		calls.set(0);
		AsyncSlackListener.Builder builder = fixture.configure(AsyncSlackListener.builder())
			.retryPolicy(ListenerMode.FAST_RETRIES);
		BrokenAsync listener = fixture.use(new BrokenAsync(builder));
		CircuitBreaker circuitBreaker = fixture.bound("payment");
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		fixture.runUntil(() -> listener.getPending() == 0);
		assertThat(fixture.outcomes().delivered).hasSize(2);
		assertThat(listener.getDropped()).isZero();
		assertThat(calls).as("the hook is called once").hasValue(1);
	}

}
