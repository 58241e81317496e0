package dev.fluxgate.slack.action;

import java.util.Collection;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the actions applied from Slack are kept and told to every replica: in this process
 * ({@link InMemoryActionStore}), or in Redis for a fleet.
 * <p>
 * The replica that receives a click claims its envelope ({@link #claim(String)}), then {@link #record records} the
 * action, which both writes the desired state and publishes the event. Every replica applies each event it receives
 * from {@link #events()}, and reconciles from {@link #snapshot()} at startup and whenever {@link #events()} may have
 * missed some.
 */
public interface ActionStore {

	/**
	 * Claim an envelope, so that an action Slack hands out twice is applied once.
	 * @param envelopeId the Socket Mode envelope id
	 * @return whether this is its first claim
	 */
	Mono<Boolean> claim(String envelopeId);

	/**
	 * Keep an action's desired state (forced open, silenced until, acknowledged by) and tell every replica.
	 * @param event the action
	 * @return completes once kept and published
	 */
	Mono<Void> record(ActionEvent event);

	/**
	 * Return the actions recorded from now on, from every replica, this one included. A store that may miss some
	 * (Redis pub/sub) also emits, on each resubscription, a {@link Signal#RESUBSCRIBED} after which a replica
	 * reconciles.
	 * @return the events
	 */
	Flux<Signal> events();

	/**
	 * Return the desired state that every replica reconciles with.
	 * @return the snapshot
	 */
	Mono<Snapshot> snapshot();

	/**
	 * Keep the marks of threads that are still open, so that a silence or an acknowledgement lasts as long as its
	 * cycle, however long, and the marks of ended threads age out.
	 * @param threadTs the {@code ts} of the roots of open threads with marks
	 * @return completes once kept
	 */
	default Mono<Void> keep(Collection<String> threadTs) {
		return Mono.empty();
	}

	/**
	 * Whether the actions reach other processes.
	 * @return whether the store is shared by replicas
	 */
	default boolean isShared() {
		return false;
	}

	/**
	 * What {@link #events()} emits: an action, or a sign that some may have been missed.
	 *
	 * @param event the action, or {@code null} for {@link #RESUBSCRIBED}
	 */
	record Signal(ActionEvent event) {

		/** The events were resubscribed: some may have been missed, so reconcile. */
		public static final Signal RESUBSCRIBED = new Signal(null);

	}

	/**
	 * The desired state.
	 *
	 * @param forcedOpen the circuit breakers forced open from Slack, by name, with the action that did it
	 * @param marks the marks of each thread, by the {@code ts} of its root
	 */
	record Snapshot(Map<String, ActionEvent> forcedOpen, Map<String, ThreadMarks> marks) {

		/** Nothing desired. */
		public static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of());

		public Snapshot {
			forcedOpen = Map.copyOf(forcedOpen);
			marks = Map.copyOf(marks);
		}

	}

}
