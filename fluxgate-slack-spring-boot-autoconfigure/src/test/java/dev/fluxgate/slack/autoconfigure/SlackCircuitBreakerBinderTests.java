package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link SlackCircuitBreakerBinder} of {@link FluxgateSlackAutoConfiguration}: which circuit breakers it announces,
 * from a registry built by hand and filtered by include and exclude, and what a user's listener and binder replace.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlackCircuitBreakerBinderTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.base-url=" + slack.baseUrl(),
				"fluxgate.slack.pacing.enabled=false");

	@Test
	void includeAndExcludeChooseTheAnnouncedBreakers() {
		this.contextRunner.withUserConfiguration(HandBuiltRegistryConfiguration.class)
			.withPropertyValues("fluxgate.slack.mode=sync", "fluxgate.slack.circuit-breakers.include=pay*,orders",
					"fluxgate.slack.circuit-breakers.exclude=*-internal")
			.run((context) -> {
				CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
				for (String name : new String[] { "payment", "payment-internal", "orders", "orders-2", "inventory" }) {
					registry.circuitBreaker(name).transitionToOpenState();
				}
				assertThat(slack.posts()).extracting(SlackStandIn.Post::circuitBreaker)
					.containsExactly("payment", "orders");
			});
	}

	@Test
	void bindsRegistryBuiltByHandIncludingLaterBreakers() {
		this.contextRunner.withUserConfiguration(HandBuiltRegistryConfiguration.class).run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			registry.circuitBreaker("existing").transitionToOpenState();
			registry.circuitBreaker("created-later").transitionToOpenState();
			assertThat(slack.awaitPosts(2)).extracting(SlackStandIn.Post::circuitBreaker)
				.containsExactlyInAnyOrder("existing", "created-later");
		});
	}

	@Test
	void keepsListenerForManualBindingWithoutRegistry(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AbstractSlackListener.class);
			assertThat(output).containsOnlyOnce("No CircuitBreakerRegistry bean");
			postOneTransition(context.getBean(AbstractSlackListener.class));
			slack.awaitPosts(1);
		});
	}

	@Test
	void userListenerAndBinderReplaceOurs() {
		this.contextRunner.withUserConfiguration(UserListenerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(AbstractSlackListener.class);
			assertThat(context.getBean(AbstractSlackListener.class).getChannel()).isEqualTo("CUSER");
			assertThat(context).hasSingleBean(SlackCircuitBreakerBinder.class);
			assertThat(context).hasBean("userBinder");
		});
	}

	private static void postOneTransition(AbstractSlackListener listener) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
	}

	@Configuration(proxyBeanMethods = false)
	static class HandBuiltRegistryConfiguration {

		@Bean
		CircuitBreakerRegistry handBuiltRegistry() {
			CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
			registry.circuitBreaker("existing");
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserListenerConfiguration {

		@Bean
		SlackListener userListener() {
			return SlackListener.builder().channel("CUSER").token("xoxb-user").build();
		}

		@Bean
		SlackCircuitBreakerBinder userBinder(AbstractSlackListener listener) {
			return new SlackCircuitBreakerBinder(listener, new org.springframework.beans.factory.support.StaticListableBeanFactory()
				.getBeanProvider(CircuitBreakerRegistry.class));
		}

	}

}
