package dev.fluxgate.slack.action;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The buttons at the edges of a cycle: a click handled while the breaker recovers, a listener that does not edit its
 * roots, a breaker forced open from Slack and then closed by the application. Real listener, real breakers, Slack
 * stood in for over HTTP.
 */
class SlackActionsEdgeTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private static final String ALLOWED = "U0ALLOWED";

	private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("payment-api");

	private SlackListener listener;

	@AfterEach
	void close() {
		if (this.listener != null) {
			this.listener.close();
		}
	}

	private SlackListener listen(boolean updateRoot) {
		return listen(updateRoot, null);
	}

	private SlackListener listen(boolean updateRoot, Duration reconcileInterval) {
		WebClientSlackClient client = WebClientSlackClient.builder()
			.token(SlackStandIn.TOKEN)
			.baseUrl(slack.baseUrl())
			.build();
		this.listener = slack.configure(SlackListener.builder())
			.client(client)
			.renderer(new DefaultMessageRenderer(null))
			.updateRoot(updateRoot)
			.actions(new ActionSettings(new AllowListAuthorizer(Set.of(ALLOWED), Set.of(), client, Duration.ofMinutes(1)),
					new InMemoryActionStore(), null, reconcileInterval, null))
			.build();
		this.listener.getActions().connected(Click.APP);
		this.listener.bindTo(this.breaker);
		return this.listener;
	}

	private Post trip() {
		this.breaker.transitionToOpenState();
		return slack.posts().get(slack.posts().size() - 1);
	}

	private static Post lastUpdate() {
		List<Post> updates = slack.updates();
		return updates.get(updates.size() - 1);
	}

	/**
	 * The redraw after Acknowledge (and Silence, Unsilence, Unacknowledge) renders the thread as it was read when the
	 * click arrived. When the breaker recovers while the click is being applied (here: while Slack takes its time to
	 * answer the echo), the recovery's root edit removes the buttons, and then the click's late redraw puts them back,
	 * with the root saying OPEN again although the cycle ended.
	 */
	@Test
	void aClickAppliedWhileTheBreakerRecoversDoesNotPutTheButtonsBackOnTheEndedThread() throws Exception {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("acknowledged payment-api"))
			.atPriority(1)
			.willReturn(SlackStandIn.ok().withFixedDelay(2000)));
		listen(true);
		Post root = trip();
		CompletableFuture<Void> click = CompletableFuture.runAsync(() -> this.listener.getActions()
			.handle(Click.on(ALLOWED, root, BreakerAction.ACKNOWLEDGE).envelope())
			.block(Duration.ofSeconds(20)));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> slack.posts().stream().anyMatch((post) -> String.valueOf(post.text()).contains("acknowledged")));
		// the breaker recovers while the echo is on its way
		this.breaker.transitionToHalfOpenState();
		this.breaker.transitionToClosedState();
		await().atMost(Duration.ofSeconds(10)).until(() -> lastUpdate().buttons().isEmpty());
		click.get(20, TimeUnit.SECONDS);
		TimeUnit.MILLISECONDS.sleep(500);
		assertThat(this.listener.getThreadStore().find("payment-api").blockOptional()).as("the cycle ended").isEmpty();
		assertThat(lastUpdate().buttons()).as("the root of the ended thread, as last edited").isEmpty();
	}

	/**
	 * With {@code fluxgate.slack.update-root=false} the root is never edited, so its buttons stay after the thread
	 * ended, against "When the thread ends, they are gone"; and each click after any transition is refused as stale.
	 */
	@Test
	void withUpdateRootOffThereAreNoButtonsToOutliveTheirThread() {
		assertThatIllegalArgumentException().isThrownBy(() -> listen(false))
			.withMessageContaining("The buttons need the edits of the root");
	}

	/**
	 * Force open is {@code transitionToForcedOpenState()}; the reconciliation is there for a replica that missed an
	 * action. But the desired "forced" stays recorded after the breaker left FORCED_OPEN by other means (the
	 * application's own code, {@code /actuator/circuitbreakers}, an operator), so every reconciliation forces it open
	 * again, fighting the operator who closed it, until someone finds a Close button in Slack.
	 */
	@Test
	void aBreakerForcedOpenFromSlackAndClosedByTheApplicationIsNotForcedOpenAgain() {
		listen(true, Duration.ofMillis(200));
		Post root = trip();
		this.listener.getActions()
			.handle(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).envelope())
			.block(Duration.ofSeconds(10));
		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		// the operator closes it with the application's own means, such as /actuator/circuitbreakers
		this.breaker.transitionToClosedState();
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(this.breaker.getState()).isEqualTo(State.CLOSED));
	}

}
