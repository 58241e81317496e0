package dev.fluxgate.slack;

import java.time.Duration;
import java.util.List;

import dev.fluxgate.slack.SlackStandIn.Post;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Binding listeners to circuit breakers and registries, and a breaker tripped the natural way.
 */
@ExtendWith(OutputCaptureExtension.class)
class BindingTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final SlackListener listener = slack.configure(SlackListener.builder())
		.build();



	@Test
	void registryBindingCoversExistingAndLaterBreakers() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		registry.circuitBreaker("before");
		this.listener.bindTo(registry);
		registry.circuitBreaker("before").transitionToOpenState();
		registry.circuitBreaker("after").transitionToOpenState();
		assertThat(slack.posts()).extracting(Post::circuitBreaker).containsExactly("before", "after");
	}

	@Test
	void bindingTheSameBreakerTwicePostsOnce() {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		this.listener.bindTo(circuitBreaker);
		this.listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		assertThat(slack.posts()).hasSize(1);
	}

	@Test
	void replacedBreakerIsReboundAndItsPredecessorIgnored() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		this.listener.bindTo(registry);
		CircuitBreaker old = registry.circuitBreaker("payment");
		old.transitionToOpenState();
		CircuitBreaker replacement = CircuitBreaker.ofDefaults("payment");
		registry.replace("payment", replacement);
		assertThat(this.listener.getThreadStore().find("payment").blockOptional()).as("the old cycle's thread is dropped").isEmpty();
		old.transitionToHalfOpenState();
		replacement.transitionToOpenState();
		List<Post> posts = slack.posts();
		assertThat(posts).hasSize(2);
		assertThat(posts.get(1).transition()).isEqualTo("CLOSED → OPEN");
		assertThat(posts.get(1).threadTs()).isNull();
	}

	@Test
	void removedBreakerIsReleased() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		this.listener.bindTo(registry);
		CircuitBreaker removed = registry.circuitBreaker("payment");
		removed.transitionToOpenState();
		registry.remove("payment");
		removed.transitionToHalfOpenState();
		assertThat(slack.posts()).hasSize(1);
		assertThat(this.listener.getThreadStore().findAll().collectList().block()).isEmpty();
	}

	@Test
	void filterChoosesWhichBreakersAreAnnounced() {
		SlackListener filtered = slack.configure(SlackListener.builder())
			.circuitBreakerFilter((name) -> name.startsWith("pay"))
			.build();
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		filtered.bindTo(registry);
		registry.circuitBreaker("inventory").transitionToOpenState();
		registry.circuitBreaker("payment").transitionToOpenState();
		assertThat(slack.posts()).extracting(Post::circuitBreaker).containsExactly("payment");
	}

	@Test
	void failingBindingNeverBreaksTheRegistry(CapturedOutput output) {
		SlackListener broken = slack.configure(SlackListener.builder())
			.circuitBreakerFilter((name) -> {
				throw new IllegalStateException("broken filter");
			})
			.build();
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		broken.bindTo(registry);
		assertThat(registry.circuitBreaker("payment").getName()).isEqualTo("payment");
		assertThat(output).contains("Could not bind circuit breaker 'payment' to Slack", "broken filter");
	}

	@Test
	void naturalFailureCycleIsOneThread() throws Exception {
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowSize(4)
			.minimumNumberOfCalls(4)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofMillis(200))
			.permittedNumberOfCallsInHalfOpenState(2)
			.build();
		CircuitBreaker circuitBreaker = CircuitBreaker.of("payment", config);
		this.listener.bindTo(circuitBreaker);
		circuitBreaker.executeSupplier(() -> "ok");
		circuitBreaker.executeSupplier(() -> "ok");
		for (int i = 0; i < 2; i++) {
			assertThatThrownBy(() -> circuitBreaker.executeRunnable(() -> {
				throw new IllegalStateException("downstream down");
			})).isNotNull();
		}
		assertThat(circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		await().pollDelay(Duration.ofMillis(250)).until(() -> true);
		circuitBreaker.executeSupplier(() -> "ok");
		circuitBreaker.executeSupplier(() -> "ok");
		assertThat(circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		List<Post> posts = slack.posts();
		assertThat(posts).extracting(Post::transition)
			.containsExactly("CLOSED → OPEN", "OPEN → HALF_OPEN", "HALF_OPEN → CLOSED");
		assertThat(posts.subList(1, 3)).extracting(Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
	}

}
