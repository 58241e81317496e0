package dev.fluxgate.slack.thread;

import java.time.Instant;

import dev.fluxgate.slack.event.TransitionSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * The Slack thread of a circuit breaker's current failure cycle.
 *
 * @param circuitBreaker the circuit breaker's name
 * @param channel the channel ID Slack returned for the root message
 * @param threadTs the root message's {@code ts}, sent as {@code thread_ts} by replies
 * @param state the breaker's state after the last transition of the cycle
 * @param openedAt when the cycle started
 * @param lastTransitionAt when the last transition of the cycle happened
 * @param messages how many messages the thread holds, root included
 * @param root the transition the root message told, to edit it as the cycle goes on
 * @param version how many times the thread changed since its root was posted: a store replaces a thread only when
 * the version it holds is the one the writer read
 * @param fleet the replicas sharing the thread, {@link Fleet#NONE} for a thread of one process
 * @param stateSince when the thread came into its state: the time of the transition that changed it, which a
 * transition into the same state (another replica telling the same change) leaves as it is
 */
public record SlackThread(String circuitBreaker, String channel, String threadTs, State state, Instant openedAt,
		Instant lastTransitionAt, int messages, TransitionSnapshot root, long version, Fleet fleet,
		Instant stateSince) {

	public SlackThread {
		fleet = (fleet != null) ? fleet : Fleet.NONE;
		stateSince = (stateSince != null) ? stateSince : lastTransitionAt;
	}

	/**
	 * Create a thread that came into its state with its last transition.
	 * @param circuitBreaker the circuit breaker's name
	 * @param channel the channel ID
	 * @param threadTs the root's {@code ts}
	 * @param state the breaker's state after the last transition
	 * @param openedAt when the cycle started
	 * @param lastTransitionAt when the last transition happened
	 * @param messages how many messages the thread holds
	 * @param root the transition the root told, or {@code null}
	 * @param version the version
	 * @param fleet the replicas sharing the thread
	 */
	public SlackThread(String circuitBreaker, String channel, String threadTs, State state, Instant openedAt,
			Instant lastTransitionAt, int messages, TransitionSnapshot root, long version, Fleet fleet) {
		this(circuitBreaker, channel, threadTs, state, openedAt, lastTransitionAt, messages, root, version, fleet,
				lastTransitionAt);
	}

	/**
	 * Create a thread of one process.
	 * @param circuitBreaker the circuit breaker's name
	 * @param channel the channel ID
	 * @param threadTs the root's {@code ts}
	 * @param state the breaker's state after the last transition
	 * @param openedAt when the cycle started
	 * @param lastTransitionAt when the last transition happened
	 * @param messages how many messages the thread holds
	 * @param root the transition the root told, or {@code null}
	 * @param version the version
	 */
	public SlackThread(String circuitBreaker, String channel, String threadTs, State state, Instant openedAt,
			Instant lastTransitionAt, int messages, TransitionSnapshot root, long version) {
		this(circuitBreaker, channel, threadTs, state, openedAt, lastTransitionAt, messages, root, version, Fleet.NONE);
	}

	/**
	 * Create a thread at version 0.
	 * @param circuitBreaker the circuit breaker's name
	 * @param channel the channel ID
	 * @param threadTs the root's {@code ts}
	 * @param state the breaker's state after the last transition
	 * @param openedAt when the cycle started
	 * @param lastTransitionAt when the last transition happened
	 * @param messages how many messages the thread holds
	 * @param root the transition the root told, or {@code null}
	 */
	public SlackThread(String circuitBreaker, String channel, String threadTs, State state, Instant openedAt,
			Instant lastTransitionAt, int messages, TransitionSnapshot root) {
		this(circuitBreaker, channel, threadTs, state, openedAt, lastTransitionAt, messages, root, 0, Fleet.NONE);
	}

	/**
	 * Start a thread whose root message was just posted.
	 * @param snapshot the transition the root announced
	 * @param channel the channel ID Slack answered with
	 * @param ts the root's {@code ts}
	 * @return the new thread
	 */
	public static SlackThread started(TransitionSnapshot snapshot, String channel, String ts) {
		return new SlackThread(snapshot.circuitBreaker(), channel, ts, snapshot.transition().to(), snapshot.time(),
				snapshot.time(), 1, snapshot, 0, Fleet.NONE);
	}

	/**
	 * Return a replica's claim of a new failure cycle, whose root it is about to post.
	 * @param snapshot the transition that trips the breaker
	 * @param channel the channel the root goes to
	 * @param instance the replica's instance id
	 * @param until when the claim lapses unless renewed
	 * @return the claim: a thread without a root {@code ts}
	 */
	public static SlackThread claimed(TransitionSnapshot snapshot, String channel, String instance, Instant until) {
		return new SlackThread(snapshot.circuitBreaker(), channel, null, snapshot.transition().to(), snapshot.time(),
				snapshot.time(), 0, snapshot, 0, Fleet.claim(instance, until));
	}

	/**
	 * Whether this is a replica's claim whose root is not posted yet.
	 * @return whether the thread has no root {@code ts} yet
	 */
	public boolean isClaim() {
		return this.threadTs == null;
	}

	/**
	 * Return this thread with another fleet, one version on.
	 * @param next the fleet
	 * @return the updated thread
	 */
	public SlackThread withFleet(Fleet next) {
		return new SlackThread(this.circuitBreaker, this.channel, this.threadTs, this.state, this.openedAt,
				this.lastTransitionAt, this.messages, this.root, this.version + 1, next, this.stateSince);
	}

	/**
	 * Return the thread a claim becomes once its root is posted.
	 * @param postedIn the channel ID Slack answered with
	 * @param ts the root's {@code ts}
	 * @param instance the replica that posted it
	 * @return the thread, its claimer a member with those who joined while it was claimed, to be stamped by the store
	 */
	public SlackThread posted(String postedIn, String ts, String instance) {
		return new SlackThread(this.circuitBreaker, postedIn, ts, this.state, this.openedAt, this.lastTransitionAt, 1,
				this.root, this.version + 1, new Fleet(this.fleet.members(), null, null).with(instance, this.state),
				this.stateSince);
	}

	/**
	 * Return this thread after one more transition of its cycle was told.
	 * @param snapshot the transition
	 * @return the updated thread
	 */
	public SlackThread followedBy(TransitionSnapshot snapshot) {
		return new SlackThread(this.circuitBreaker, this.channel, this.threadTs, snapshot.transition().to(),
				this.openedAt, snapshot.time(), this.messages + 1, this.root, this.version + 1, this.fleet,
				stateSinceAfter(snapshot));
	}

	/**
	 * Return this thread after a transition of its cycle that could not be told in it.
	 * @param snapshot the transition
	 * @return the updated thread, with as many messages as before
	 */
	public SlackThread movedTo(TransitionSnapshot snapshot) {
		return new SlackThread(this.circuitBreaker, this.channel, this.threadTs, snapshot.transition().to(),
				this.openedAt, snapshot.time(), this.messages, this.root, this.version + 1, this.fleet,
				stateSinceAfter(snapshot));
	}

	/**
	 * Return when the thread came into its state once a transition is told in it: the transition's time when it
	 * changes the state, the time the thread came into it otherwise.
	 * @param snapshot the transition
	 * @return the time
	 */
	public Instant stateSinceAfter(TransitionSnapshot snapshot) {
		return (snapshot.transition().to() != this.state) ? snapshot.time() : this.stateSince;
	}

}
