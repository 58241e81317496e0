package dev.fluxgate.slack;

import dev.fluxgate.slack.action.ThreadMarks;
import dev.fluxgate.slack.thread.ThreadStore;
import reactor.core.publisher.Mono;

/**
 * What a listener tells about itself to operators: the actuator endpoint and the metrics read it.
 */
public interface SlackListenerInfo {

	/**
	 * Return the channel ID messages are posted to by default.
	 * @return the channel ID
	 */
	String getChannel();

	/**
	 * Return how the listener delivers.
	 * @return {@code sync} (the caller waits for Slack) or {@code async}
	 */
	String getMode();

	/**
	 * Return how many messages wait to be delivered.
	 * @return the number of pending messages
	 */
	int getPending();

	/**
	 * Return where the open threads are kept.
	 * @return the thread store
	 */
	ThreadStore getThreadStore();

	/**
	 * Return what people said about a thread from Slack: who acknowledged it, until when it is silenced.
	 * @param threadTs the {@code ts} of the thread's root
	 * @return its marks, {@link ThreadMarks#NONE} without buttons
	 */
	default ThreadMarks getMarks(String threadTs) {
		return ThreadMarks.NONE;
	}

	/**
	 * Forget a circuit breaker's open thread, so that its next failure cycle starts a new one.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether it had one
	 */
	Mono<Boolean> forget(String circuitBreaker);

}
