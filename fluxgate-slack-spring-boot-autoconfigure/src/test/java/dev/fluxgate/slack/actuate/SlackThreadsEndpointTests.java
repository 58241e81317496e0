package dev.fluxgate.slack.actuate;

import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint.SlackThreadsDescriptor;
import dev.fluxgate.slack.actuate.SlackThreadsEndpoint.ThreadDescriptor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code slackthreads} reads the listener's thread store: each open thread, oldest first, and forgets one on DELETE
 * so that the breaker's next trip starts a new thread.
 */
class SlackThreadsEndpointTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final SlackListener listener = slack.configure(SlackListener.builder())
		.updateRoot(false)
		.build();

	private final SlackThreadsEndpoint endpoint = new SlackThreadsEndpoint(this.listener);

	@Test
	void listsEachOpenThreadOldestFirstWithTheListenersChannelAndMode() {
		CircuitBreaker payment = bound("payment");
		CircuitBreaker inventory = bound("inventory");
		payment.transitionToOpenState();
		inventory.transitionToOpenState();
		inventory.transitionToHalfOpenState();
		SlackThreadsDescriptor threads = this.endpoint.threads().block();
		assertThat(threads.channel()).isEqualTo(SlackStandIn.CHANNEL);
		assertThat(threads.mode()).isEqualTo("sync");
		assertThat(threads.pending()).isZero();
		assertThat(threads.threads()).extracting(ThreadDescriptor::circuitBreaker)
			.containsExactly("payment", "inventory");
		assertThat(threads.threads().get(1)).satisfies((thread) -> {
			assertThat(thread.state()).isEqualTo("HALF_OPEN");
			assertThat(thread.messages()).isEqualTo(2);
			assertThat(thread.threadTs()).isEqualTo(slack.posts().get(1).ts());
		});
	}

	@Test
	void readsOneThreadAndNotFoundForABreakerWithout() {
		bound("payment").transitionToOpenState();
		assertThat(this.endpoint.thread("payment").getBody().threadTs()).isEqualTo(slack.posts().get(0).ts());
		assertThat(this.endpoint.thread("nothing-open").getStatus()).isEqualTo(404);
	}

	@Test
	void forgettingAThreadMakesTheNextTripStartANewOne() {
		CircuitBreaker payment = bound("payment");
		payment.transitionToOpenState();
		String root = slack.posts().get(0).ts();
		assertThat(this.endpoint.forget("payment").getBody().threadTs()).isEqualTo(root);
		assertThat(this.endpoint.thread("payment").getStatus()).isEqualTo(404);
		assertThat(this.endpoint.forget("payment").getStatus()).isEqualTo(404);
		payment.transitionToHalfOpenState();
		payment.transitionToOpenState();
		assertThat(slack.posts().get(2).threadTs()).as("the new cycle's root").isNull();
	}

	private CircuitBreaker bound(String name) {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		this.listener.bindTo(circuitBreaker);
		return circuitBreaker;
	}

}
