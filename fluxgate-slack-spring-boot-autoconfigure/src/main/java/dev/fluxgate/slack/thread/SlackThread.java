package dev.fluxgate.slack.thread;

import java.time.Instant;

import dev.fluxgate.slack.TransitionSnapshot;
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
 */
public record SlackThread(String circuitBreaker, String channel, String threadTs, State state, Instant openedAt,
		Instant lastTransitionAt, int messages, TransitionSnapshot root, long version) {

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
		this(circuitBreaker, channel, threadTs, state, openedAt, lastTransitionAt, messages, root, 0);
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
				snapshot.time(), 1, snapshot, 0);
	}

	/**
	 * Return this thread after one more transition of its cycle was told.
	 * @param snapshot the transition
	 * @return the updated thread
	 */
	public SlackThread followedBy(TransitionSnapshot snapshot) {
		return new SlackThread(this.circuitBreaker, this.channel, this.threadTs, snapshot.transition().to(),
				this.openedAt, snapshot.time(), this.messages + 1, this.root, this.version + 1);
	}

	/**
	 * Return this thread after a transition of its cycle that could not be told in it.
	 * @param snapshot the transition
	 * @return the updated thread, with as many messages as before
	 */
	public SlackThread movedTo(TransitionSnapshot snapshot) {
		return new SlackThread(this.circuitBreaker, this.channel, this.threadTs, snapshot.transition().to(),
				this.openedAt, snapshot.time(), this.messages, this.root, this.version + 1);
	}

}
