package dev.fluxgate.slack.storm;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.ThreadRules;

/**
 * What each channel owes Slack, kept in memory: the messages waiting in the listener's lanes and the failure cycles
 * in progress with a thread of their own, each of which still owes the message that ends it. The listener writes it
 * on the thread that caused a transition; the storm digest and coalescing read it there, never the thread store.
 */
public final class ChannelBacklog {

	private final ChannelPacer pacer;

	private final ConcurrentMap<String, AtomicInteger> waiting = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, AtomicInteger> cycles = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, String> cycleChannels = new ConcurrentHashMap<>();

	/**
	 * Create the backlog of a listener's channels.
	 * @param pacer the pacer that knows which channels Slack limits, or {@code null} for none
	 */
	public ChannelBacklog(ChannelPacer pacer) {
		this.pacer = pacer;
	}

	/**
	 * Count messages that start waiting in a channel.
	 * @param channel the channel
	 * @param count how many
	 */
	public void queued(String channel, int count) {
		counter(this.waiting, channel).addAndGet(count);
	}

	/**
	 * Count messages that no longer wait: delivered, given up or dropped.
	 * @param channel the channel
	 * @param count how many
	 */
	public void done(String channel, int count) {
		counter(this.waiting, channel).addAndGet(-count);
	}

	/**
	 * Return how many messages wait in a channel.
	 * @param channel the channel
	 * @return the messages waiting
	 */
	public int waiting(String channel) {
		AtomicInteger count = this.waiting.get(channel);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Follow the failure cycles that have a message of their own: a trip starts one, the end of a cycle ends it.
	 * @param snapshot a transition that goes to its breaker's lane
	 * @param channel its channel
	 */
	public void track(TransitionSnapshot snapshot, String channel) {
		if (ThreadRules.trips(snapshot.transition())) {
			if (this.cycleChannels.putIfAbsent(snapshot.circuitBreaker(), channel) == null) {
				counter(this.cycles, channel).incrementAndGet();
			}
		}
		else if (ThreadRules.endsCycle(snapshot.transition().to())) {
			release(snapshot.circuitBreaker());
		}
	}

	/**
	 * Forget a breaker's cycle in progress: it ended, or the breaker left its registry.
	 * @param circuitBreaker the circuit breaker's name
	 */
	public void release(String circuitBreaker) {
		String channel = this.cycleChannels.remove(circuitBreaker);
		if (channel != null) {
			counter(this.cycles, channel).updateAndGet((count) -> Math.max(0, count - 1));
		}
	}

	/**
	 * Whether a breaker is in a failure cycle of its own.
	 * @param circuitBreaker the circuit breaker's name
	 * @return whether it tripped with a message of its own and its cycle has not ended
	 */
	public boolean inOwnCycle(String circuitBreaker) {
		return this.cycleChannels.containsKey(circuitBreaker);
	}

	/**
	 * Whether Slack holds or paces a channel after a 429.
	 * @param channel the channel
	 * @return whether it is limited
	 */
	public boolean isLimited(String channel) {
		return this.pacer != null && this.pacer.isLimited(channel);
	}

	/**
	 * Return the messages a channel owes while Slack rate-limits it: those waiting, plus one to end each cycle in
	 * progress. A channel that is not limited owes nothing in this sense.
	 * @param channel the channel
	 * @return the messages owed
	 */
	public int owed(String channel) {
		if (!isLimited(channel)) {
			return 0;
		}
		AtomicInteger cycles = this.cycles.get(channel);
		return waiting(channel) + ((cycles != null) ? cycles.get() : 0);
	}

	private static AtomicInteger counter(ConcurrentMap<String, AtomicInteger> counters, String channel) {
		return counters.computeIfAbsent(channel, (id) -> new AtomicInteger());
	}

}
