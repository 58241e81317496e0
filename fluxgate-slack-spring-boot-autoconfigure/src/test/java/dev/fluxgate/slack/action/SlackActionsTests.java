package dev.fluxgate.slack.action;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.action.ActionObserver.Outcome;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.thread.SlackThread;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The buttons of a thread's root and what a click on each does, with a real listener, real circuit breakers and Slack
 * stood in for over HTTP. The clicks are handed to the listener's actions as the Socket Mode client hands them.
 */
class SlackActionsTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private static final String ALLOWED = "U0ALLOWED";

	private final List<String> clicks = new CopyOnWriteArrayList<>();

	private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("payment-api");

	private SlackListener listener;

	@AfterEach
	void close() {
		if (this.listener != null) {
			this.listener.close();
		}
	}

	private SlackListener listen(Set<String> users, Set<String> groups, String mention) {
		return listen(users, groups, mention, null);
	}

	private SlackListener listen(Set<String> users, Set<String> groups, String mention, Duration reconcileInterval) {
		return listen(users, groups, mention, reconcileInterval, new InMemoryActionStore());
	}

	private SlackListener listen(Set<String> users, Set<String> groups, String mention, Duration reconcileInterval,
			ActionStore store) {
		ActionObserver observer = new ActionObserver() {
			@Override
			public void clicked(BreakerAction action, Outcome outcome) {
				SlackActionsTests.this.clicks.add(action + " " + outcome.tag());
			}
		};
		WebClientSlackClient client = WebClientSlackClient.builder()
			.token(SlackStandIn.TOKEN)
			.baseUrl(slack.baseUrl())
			.build();
		this.listener = slack.configure(SlackListener.builder())
			.deadline(Duration.ofSeconds(30))
			.client(client)
			.renderer(new DefaultMessageRenderer(mention))
			.actions(new ActionSettings(new AllowListAuthorizer(users, groups, client, Duration.ofMinutes(1)),
					store, observer, reconcileInterval, mention))
			.build();
		this.listener.getActions().connected(Click.APP);
		this.listener.bindTo(this.breaker);
		return this.listener;
	}

	private SlackListener listen() {
		return listen(Set.of(ALLOWED), Set.of(), null);
	}

	private Post trip() {
		this.breaker.transitionToOpenState();
		return slack.posts().get(slack.posts().size() - 1);
	}

	private void click(Click click) {
		this.listener.getActions().handle(click.envelope()).block(Duration.ofSeconds(10));
	}

	/** The value of the root's current buttons, once the edit after the breaker's last transition arrived. */
	private String currentValue() {
		SlackThread thread = this.listener.getThreadStore().find(this.breaker.getName()).block();
		String value = ActionButtons.value(thread.state(), thread.stateSince());
		await().until(() -> value.equals(lastUpdate().buttonValue()));
		return value;
	}

	private Post lastUpdate() {
		await().until(() -> !slack.updates().isEmpty());
		List<Post> updates = slack.updates();
		return updates.get(updates.size() - 1);
	}

	@Test
	void theRootOfAnOpenBreakerOffersAcknowledgeSilenceForceOpenAndReset() {
		listen();
		Post root = trip();
		assertThat(root.buttons()).containsExactly("fluxgate_acknowledge", "fluxgate_silence_30m", "fluxgate_silence_2h",
				"fluxgate_silence_recovered", "fluxgate_force_open", "fluxgate_reset");
		assertThat(root.buttonValue()).startsWith("OPEN@");
		assertThat(root.rawBody()).contains("\"style\":\"danger\"", "\"confirm\":{", "Force open?");
	}

	@Test
	void forceOpenForcesTheBreakerEchoesInTheThreadAndTheRootOffersClose() {
		listen();
		Post root = trip();
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN));
		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		assertThat(slack.posts()).filteredOn((post) -> root.ts().equals(post.threadTs()))
			.extracting(Post::text)
			.contains("<@U0ALLOWED> forced payment-api open on 1 instance");
		await().until(() -> lastUpdate().buttons().contains("fluxgate_close"));
		assertThat(lastUpdate().buttons()).doesNotContain("fluxgate_force_open", "fluxgate_reset");
		assertThat(this.clicks).containsExactly("FORCE_OPEN applied");
	}

	@Test
	void closeAfterForceOpenClosesTheBreakerEndsTheThreadAndTheButtonsAreGone() {
		listen();
		Post root = trip();
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN));
		await().until(() -> lastUpdate().buttons().contains("fluxgate_close"));
		click(Click.on(ALLOWED, root, BreakerAction.CLOSE).withValue(currentValue()));
		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);
		await().until(() -> slack.posts().stream().anyMatch(Post::broadcast));
		Post recovery = slack.posts().stream().filter(Post::broadcast).findFirst().orElseThrow();
		assertThat(recovery.threadTs()).isEqualTo(root.ts());
		await().until(() -> lastUpdate().buttons().isEmpty());
		assertThat(this.clicks).containsExactly("FORCE_OPEN applied", "CLOSE applied");
	}

	@Test
	void resetClosesTheBreakerAndForgetsItsFailures() {
		listen();
		Post root = trip();
		click(Click.on(ALLOWED, root, BreakerAction.RESET));
		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);
		assertThat(slack.posts()).extracting(Post::text).contains("<@U0ALLOWED> reset payment-api on 1 instance");
		assertThat(this.clicks).containsExactly("RESET applied");
	}

	@Test
	void acknowledgeShowsWhoOnTheRootAndLaterReTripsNoLongerMentionOnCall() {
		listen(Set.of(ALLOWED), Set.of(), "<!here>");
		Post root = trip();
		assertThat(root.text()).startsWith("<!here>");
		this.breaker.transitionToHalfOpenState();
		this.breaker.transitionToOpenState();
		assertThat(slack.posts().get(slack.posts().size() - 1).text()).startsWith("<!here>");
		click(Click.on(ALLOWED, root, BreakerAction.ACKNOWLEDGE).withValue(currentValue()));
		await().until(() -> "Acknowledged by <@U0ALLOWED>".equals(lastUpdate().context()));
		assertThat(lastUpdate().buttons()).startsWith("fluxgate_unacknowledge");
		assertThat(this.listener.getMarks(root.ts()).acknowledgedBy()).isEqualTo(ALLOWED);
		assertThat(slack.posts()).extracting(Post::text).contains("<@U0ALLOWED> acknowledged payment-api");
		this.breaker.transitionToHalfOpenState();
		this.breaker.transitionToOpenState();
		assertThat(slack.posts().get(slack.posts().size() - 1).text()).doesNotContain("<!here>");
		click(Click.on(ALLOWED, root, BreakerAction.UNACKNOWLEDGE).withValue(currentValue()));
		await().until(() -> lastUpdate().buttons().contains("fluxgate_acknowledge"));
		assertThat(this.listener.getMarks(root.ts()).acknowledgedBy()).isNull();
	}

	@Test
	void silenceHoldsTheRepliesBackButTheRecoveryAlwaysComes() {
		listen();
		Post root = trip();
		click(Click.on(ALLOWED, root, BreakerAction.SILENCE_30_MINUTES));
		await().until(() -> String.valueOf(lastUpdate().context()).startsWith("Silenced by <@U0ALLOWED> until"));
		assertThat(lastUpdate().buttons()).contains("fluxgate_unsilence").doesNotContain("fluxgate_silence_30m");
		int before = slack.posts().size();
		this.breaker.transitionToHalfOpenState();
		this.breaker.transitionToOpenState();
		assertThat(slack.posts()).hasSize(before);
		this.breaker.transitionToHalfOpenState();
		this.breaker.transitionToClosedState();
		assertThat(slack.posts()).hasSize(before + 1);
		assertThat(slack.posts().get(before).broadcast()).isTrue();
	}

	@Test
	void unsilenceLetsTheRepliesThroughAgain() {
		listen();
		Post root = trip();
		click(Click.on(ALLOWED, root, BreakerAction.SILENCE_UNTIL_RECOVERED));
		await().until(() -> String.valueOf(lastUpdate().context()).contains("until it recovers"));
		click(Click.on(ALLOWED, root, BreakerAction.UNSILENCE).withValue(currentValue()));
		int before = slack.posts().size();
		this.breaker.transitionToHalfOpenState();
		assertThat(slack.posts()).hasSize(before + 1);
		assertThat(slack.posts()).extracting(Post::text).contains("<@U0ALLOWED> unsilenced payment-api");
	}

	@Test
	void aUserWhoIsNotAllowedIsToldWhyAndNothingChanges() {
		listen();
		Post root = trip();
		click(Click.on("U0STRANGER", root, BreakerAction.FORCE_OPEN));
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		assertThat(slack.ephemerals()).singleElement().satisfies((ephemeral) -> {
			assertThat(ephemeral.at("$.user")).isEqualTo("U0STRANGER");
			assertThat(ephemeral.text()).contains("may not act", "fluxgate.slack.actions.allowed-users");
		});
		assertThat(this.clicks).containsExactly("FORCE_OPEN denied");
	}

	@Test
	void aClickFromAnotherWorkspaceOrAppIsDenied() {
		listen();
		Post root = trip();
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).withTeam("T0OTHER"));
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).withApp("A0OTHER"));
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		assertThat(this.clicks).containsExactly("FORCE_OPEN denied", "FORCE_OPEN denied");
		assertThat(slack.ephemerals()).hasSize(2).allSatisfy((ephemeral) -> assertThat(ephemeral.text())
			.contains("another Slack workspace or app"));
	}

	@Test
	void aMemberOfAnAllowedGroupMayActAndTheGroupIsReadOnce() {
		slack.stub(post(urlEqualTo("/api/usergroups.users.list")).atPriority(1)
			.willReturn(SlackStandIn.json("{\"ok\":true,\"users\":[\"U0MEMBER\",\"U0OTHER\"]}")));
		listen(Set.of(), Set.of("S0ONCALL"), null);
		Post root = trip();
		click(Click.on("U0MEMBER", root, BreakerAction.ACKNOWLEDGE));
		click(Click.on("U0OUTSIDER", root, BreakerAction.ACKNOWLEDGE).withValue(currentValue()));
		assertThat(this.clicks).containsExactly("ACKNOWLEDGE applied", "ACKNOWLEDGE denied");
		assertThat(slack.usergroupLookups()).containsExactly("usergroup=S0ONCALL");
	}

	@Test
	void aButtonDrawnBeforeTheLastTransitionIsStaleAndTheRootIsRedrawn() {
		listen();
		Post root = trip();
		this.breaker.transitionToHalfOpenState();
		int updates = slack.updates().size();
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN));
		assertThat(this.breaker.getState()).isEqualTo(State.HALF_OPEN);
		assertThat(this.clicks).containsExactly("FORCE_OPEN stale");
		assertThat(slack.ephemerals()).singleElement()
			.satisfies((ephemeral) -> assertThat(ephemeral.text()).contains("changed since these buttons were drawn"));
		await().until(() -> slack.updates().size() > updates);
		assertThat(lastUpdate().buttonValue()).isNotEqualTo(root.buttonValue());
	}

	@Test
	void aButtonDrawnBeforeARetripIsStaleAlthoughTheStateIsTheSameAgain() {
		listen();
		Post root = trip();
		this.breaker.transitionToHalfOpenState();
		this.breaker.transitionToOpenState();
		click(Click.on(ALLOWED, root, BreakerAction.RESET));
		assertThat(this.breaker.getState()).as("the button predates two transitions").isEqualTo(State.OPEN);
		assertThat(this.clicks).containsExactly("RESET stale");
	}

	@Test
	void aButtonOfACycleThatEndedIsStale() {
		listen();
		Post root = trip();
		this.breaker.transitionToHalfOpenState();
		this.breaker.transitionToClosedState();
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN));
		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);
		assertThat(this.clicks).containsExactly("FORCE_OPEN stale");
		assertThat(slack.ephemerals()).singleElement()
			.satisfies((ephemeral) -> assertThat(ephemeral.text()).contains("cycle has ended"));
	}

	@Test
	void anEnvelopeHandedOutTwiceIsAppliedOnce() {
		listen();
		Post root = trip();
		Click click = Click.on(ALLOWED, root, BreakerAction.ACKNOWLEDGE);
		click(click);
		click(click);
		assertThat(slack.posts()).extracting(Post::text)
			.filteredOn((text) -> text.contains("acknowledged"))
			.hasSize(1);
		assertThat(this.clicks).as("the second delivery is no click of its own").containsExactly("ACKNOWLEDGE applied");
		assertThat(slack.ephemerals()).as("nor refused as stale").isEmpty();
	}

	@Test
	void anUnknownActionOrAMalformedPayloadIsIgnored() {
		listen();
		Post root = trip();
		int posts = slack.posts().size();
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).withActionId("someone_elses_button"));
		this.listener.getActions()
			.handle(new dev.fluxgate.slack.socket.Envelope("e-1", "interactive",
					tools.jackson.databind.json.JsonMapper.builder().build().valueToTree(List.of("not", "a", "payload")),
					false))
			.block(Duration.ofSeconds(5));
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		assertThat(slack.posts()).hasSize(posts);
		assertThat(this.clicks).isEmpty();
	}

	@Test
	void aClickAppliedWhileTheBreakerRecoversLeavesTheEndedThreadWithoutButtons() throws Exception {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(containing("acknowledged payment-api"))
			.atPriority(1)
			.willReturn(SlackStandIn.ok().withFixedDelay(2000)));
		listen();
		Post root = trip();
		CompletableFuture<Void> click = CompletableFuture.runAsync(() -> this.listener.getActions()
			.handle(Click.on(ALLOWED, root, BreakerAction.ACKNOWLEDGE).envelope())
			.block(Duration.ofSeconds(20)));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> slack.posts().stream().anyMatch((post) -> String.valueOf(post.text()).contains("acknowledged")));
		this.breaker.transitionToHalfOpenState();
		this.breaker.transitionToClosedState();
		await().atMost(Duration.ofSeconds(10)).until(() -> lastUpdate().buttons().isEmpty());
		click.get(20, TimeUnit.SECONDS);
		TimeUnit.MILLISECONDS.sleep(500);
		assertThat(this.listener.getThreadStore().find("payment-api").blockOptional()).as("the cycle ended").isEmpty();
		assertThat(lastUpdate().buttons()).as("the root of the ended thread, as last edited").isEmpty();
	}

	@Test
	void theButtonsNeedTheRootsEditsThatRedrawThemAndTakeThemAway() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> slack.configure(SlackListener.builder())
				.updateRoot(false)
				.actions(ActionSettings.of((user) -> Mono.just(true), new InMemoryActionStore()))
				.build())
			.withMessageContaining("The buttons need the edits of the root");
	}

	@Test
	void aBreakerForcedOpenFromSlackAndClosedByTheApplicationStaysClosed() {
		listen(Set.of(ALLOWED), Set.of(), null, Duration.ofMillis(200));
		Post root = trip();
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN));
		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		this.breaker.transitionToClosedState();
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(this.breaker.getState()).isEqualTo(State.CLOSED));
	}

	@Test
	void aReconciliationThatReadTheStoreBeforeAClickDoesNotUndoIt() {
		InMemoryActionStore memory = new InMemoryActionStore();
		ActionStore slowSnapshots = new ActionStore() {

			@Override
			public Mono<Boolean> claim(String envelopeId) {
				return memory.claim(envelopeId);
			}

			@Override
			public Mono<Void> record(ActionEvent event) {
				return memory.record(event);
			}

			@Override
			public Flux<Signal> events() {
				return memory.events();
			}

			@Override
			public Mono<Snapshot> snapshot() {
				return memory.snapshot().map((now) -> new Snapshot(now.forcedOpen(), now.marks()))
					.delayElement(Duration.ofMillis(800));
			}

		};
		listen(Set.of(ALLOWED), Set.of(), null, Duration.ofHours(1), slowSnapshots);
		Post root = trip();
		this.listener.getActions().reconcile().block(Duration.ofSeconds(5));
		CompletableFuture<Void> reconciled = this.listener.getActions().reconcile().toFuture();
		click(Click.on(ALLOWED, root, BreakerAction.ACKNOWLEDGE));
		click(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN));
		assertThat(reconciled).as("the snapshot, read before the clicks, arrives after them").isNotDone();
		reconciled.join();
		assertThat(this.breaker.getState()).as("forced open by the click, which the snapshot predates")
			.isEqualTo(State.FORCED_OPEN);
		assertThat(this.listener.getMarks(root.ts()).acknowledgedBy()).isEqualTo(ALLOWED);
	}

}
