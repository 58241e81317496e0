package dev.fluxgate.slack.action;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reconciliation over the life of a replica, with a real listener, real breakers and Slack stood in for over HTTP.
 */
class ReconcileAcrossTimeTests {

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

	private SlackListener listen(ActionStore store, Duration reconcileInterval) {
		WebClientSlackClient client = WebClientSlackClient.builder()
			.token(SlackStandIn.TOKEN)
			.baseUrl(slack.baseUrl())
			.build();
		this.listener = slack.configure(SlackListener.builder())
			.deadline(Duration.ofSeconds(30))
			.client(client)
			.renderer(new DefaultMessageRenderer(null))
			.actions(new ActionSettings(new AllowListAuthorizer(Set.of(ALLOWED), Set.of(), client, Duration.ofMinutes(1)),
					store, null, reconcileInterval, null))
			.build();
		this.listener.getActions().connected(Click.APP);
		this.listener.bindTo(this.breaker);
		return this.listener;
	}

	private Post trip() {
		this.breaker.transitionToOpenState();
		return slack.posts().get(slack.posts().size() - 1);
	}

	private static ActionEvent event(BreakerAction action, String threadTs, String user) {
		return new ActionEvent(UUID.randomUUID().toString(), action, "payment-api", SlackStandIn.CHANNEL, threadTs, user,
				null, "replica-b", Instant.now());
	}

	@Test
	void aBreakerTheApplicationClosedStaysClosedAfterTheFleetAppliedManyOtherActions() throws Exception {
		InMemoryActionStore store = new InMemoryActionStore();
		listen(store, Duration.ofMillis(200));
		Post root = trip();
		this.listener.getActions()
			.handle(Click.on(ALLOWED, root, BreakerAction.FORCE_OPEN).envelope())
			.block(Duration.ofSeconds(10));
		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		this.breaker.transitionToClosedState();
		// later cycles of other breakers, acknowledged and unacknowledged from Slack
		String otherThread = "1700000000.000100";
		for (int i = 0; i < 3000; i++) {
			store.record(event((i % 2 == 0) ? BreakerAction.ACKNOWLEDGE : BreakerAction.UNACKNOWLEDGE, otherThread,
					"U0OTHER")).block();
			if (i % 20 == 0) {
				Thread.sleep(2);
			}
		}
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(this.breaker.getState()).as("closed by the application, and nobody forced it since")
				.isEqualTo(State.CLOSED));
	}

	@Test
	void aSnapshotReadBeforeACloseDoesNotForceOpenAgainTheBreakerItClosed() throws Exception {
		FleetStore store = new FleetStore();
		listen(store, Duration.ofHours(1));
		trip();
		await().until(() -> store.snapshots > 0);
		// another replica forces payment-api open; this replica misses the message
		ActionEvent forceOpen = event(BreakerAction.FORCE_OPEN, null, ALLOWED);
		store.keepUntold(forceOpen);
		store.holdSnapshots();
		CompletableFuture<Void> reconciled = this.listener.getActions().reconcile().toFuture();
		await().until(() -> store.held != null);
		// someone closes it from another replica; this replica receives that one
		store.record(event(BreakerAction.CLOSE, null, ALLOWED)).block();
		await().until(() -> this.breaker.getState() == State.CLOSED);
		store.releaseSnapshot();
		reconciled.join();
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.breaker.getState())
				.as("closed from Slack after the snapshot was read; the store no longer wants it forced")
				.isEqualTo(State.CLOSED));
		assertThat(store.snapshot().block().forcedOpen()).isEmpty();
	}

	@Test
	void aSilenceHoldsWhenTheInMemoryStoreHasSeenManyThreads() throws Exception {
		InMemoryActionStore store = new InMemoryActionStore();
		listen(store, Duration.ofMillis(200));
		Post root = trip();
		this.listener.getActions()
			.handle(Click.on(ALLOWED, root, BreakerAction.SILENCE_UNTIL_RECOVERED).envelope())
			.block(Duration.ofSeconds(10));
		// the acknowledgements of earlier cycles, long ended, over the months
		for (int i = 0; i < 10_000; i++) {
			store.record(event(BreakerAction.ACKNOWLEDGE, "1600000000." + String.format("%06d", i), "U0OTHER")).block();
		}
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(this.listener.getMarks(root.ts()).silencedBy())
				.as("silenced until it recovers").isEqualTo(ALLOWED));
		int before = slack.posts().size();
		this.breaker.transitionToHalfOpenState();
		Thread.sleep(500);
		assertThat(slack.posts()).as("silenced until it recovers").hasSize(before);
	}

	/** A fleet's store as a test sees it: what it keeps, and messages that may be lost. */
	static final class FleetStore implements ActionStore {

		private final Map<String, Boolean> claims = new ConcurrentHashMap<>();

		private final Map<String, ActionEvent> forced = new ConcurrentHashMap<>();

		private final Sinks.Many<Signal> events = Sinks.many().multicast().directBestEffort();

		volatile int snapshots;

		volatile boolean hold;

		volatile Sinks.One<Snapshot> held;

		@Override
		public Mono<Boolean> claim(String envelopeId) {
			return Mono.fromSupplier(() -> this.claims.putIfAbsent(envelopeId, true) == null);
		}

		/** Keep an action without telling anyone: its message was lost. */
		void keepUntold(ActionEvent event) {
			switch (event.action()) {
				case FORCE_OPEN -> this.forced.put(event.circuitBreaker(), event);
				case CLOSE, RESET -> this.forced.remove(event.circuitBreaker());
				default -> {
				}
			}
		}

		@Override
		public synchronized Mono<Void> record(ActionEvent event) {
			return Mono.fromRunnable(() -> {
				keepUntold(event);
				synchronized (this.events) {
					this.events.tryEmitNext(new Signal(event));
				}
			});
		}

		@Override
		public Flux<Signal> events() {
			return this.events.asFlux();
		}

		void holdSnapshots() {
			this.hold = true;
		}

		void releaseSnapshot() {
			this.hold = false;
			this.held.tryEmitValue(this.heldValue);
		}

		private volatile Snapshot heldValue;

		@Override
		public Mono<Snapshot> snapshot() {
			return Mono.defer(() -> {
				this.snapshots++;
				Snapshot now = new Snapshot(this.forced, Map.of());
				if (!this.hold) {
					return Mono.just(now);
				}
				this.heldValue = now;
				Sinks.One<Snapshot> later = Sinks.one();
				this.held = later;
				return later.asMono();
			});
		}

	}

}
