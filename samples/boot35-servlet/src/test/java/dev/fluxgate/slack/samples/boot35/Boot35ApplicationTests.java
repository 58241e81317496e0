package dev.fluxgate.slack.samples.boot35;

import java.util.List;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@SpringBootTest
class Boot35ApplicationTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Autowired
	private ShippingClient shipping;

	@Autowired
	private CircuitBreakerRegistry registry;

	@Autowired
	private AsyncSlackListener listener;

	@DynamicPropertySource
	static void slackStandIn(DynamicPropertyRegistry properties) {
		slack.addSeedVariables(properties);
	}


	@Test
	void runsOnSpringBoot35() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
	}

	@Test
	void failureCycleIsPostedAndThreaded() {
		this.shipping.down(true);
		for (int i = 0; i < 4; i++) {
			assertThatIllegalStateException().isThrownBy(() -> this.shipping.quote("parcel"));
		}
		CircuitBreaker breaker = this.registry.circuitBreaker("shipping");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		this.shipping.down(false);
		await().until(() -> breaker.getState() == CircuitBreaker.State.HALF_OPEN);
		this.shipping.quote("parcel");
		this.shipping.quote("parcel");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		List<SlackStandIn.Post> posts = slack.awaitPosts(3);
		assertThat(posts).extracting(SlackStandIn.Post::title)
			.containsExactly("🚨 Circuit Breaker Triggered", "🔄 Attempting Circuit Breaker Recovery",
					"✅ Circuit Breaker Recovered");
		assertThat(posts.subList(1, 3)).extracting(SlackStandIn.Post::threadTs).containsOnly(posts.get(0).ts());
		assertThat(posts.get(2).broadcast()).isTrue();
		assertThat(posts.get(0).header("Authorization")).isEqualTo("Bearer " + SlackStandIn.TOKEN);
		await().until(() -> this.listener.getThreadStore().findAll().isEmpty());
	}

}
