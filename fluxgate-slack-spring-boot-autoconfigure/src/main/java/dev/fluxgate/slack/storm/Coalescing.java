package dev.fluxgate.slack.storm;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import dev.fluxgate.slack.TransitionSnapshot;
import dev.fluxgate.slack.thread.ThreadRules;

/**
 * Which of a breaker's waiting transitions are told in one message. Only called while Slack limits the breaker's
 * channel and the breaker's thread is open.
 */
public final class Coalescing {

	private Coalescing() {
	}

	/**
	 * Take the transitions to tell in one message: the first alone, unless more than {@code after} of the breaker's
	 * messages wait, which are then coalesced up to, not including, the one that ends the cycle. During a storm the
	 * end of the cycle is coalesced too, so that each breaker with a thread of its own needs one more message at most.
	 * @param first the transition taken from the queue
	 * @param queue the breaker's transitions still waiting, oldest first; those coalesced are taken from it
	 * @param after how many waiting messages a breaker may have before they are coalesced
	 * @param storm whether the channel is in a storm
	 * @return the transitions of one message, oldest first
	 */
	public static List<TransitionSnapshot> batch(TransitionSnapshot first, Queue<TransitionSnapshot> queue, int after,
			boolean storm) {
		if ((storm ? queue.isEmpty() : queue.size() + 1 <= after) || ThreadRules.endsCycle(first.transition().to())) {
			return List.of(first);
		}
		List<TransitionSnapshot> batch = new ArrayList<>();
		batch.add(first);
		TransitionSnapshot next;
		while ((next = queue.peek()) != null && (storm || !ThreadRules.endsCycle(next.transition().to()))) {
			batch.add(queue.poll());
			if (ThreadRules.endsCycle(next.transition().to())) {
				break;
			}
		}
		return batch;
	}

}
