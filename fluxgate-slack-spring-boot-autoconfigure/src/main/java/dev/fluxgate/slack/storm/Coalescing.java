package dev.fluxgate.slack.storm;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Function;

import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.ThreadRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Which of a breaker's waiting transitions are told in one message: coalescing happens only while Slack limits the
 * breaker's channel and its thread is open.
 */
public final class Coalescing {

	private static final Logger logger = LoggerFactory.getLogger(Coalescing.class);

	private final boolean enabled;

	private final int after;

	private final ChannelBacklog backlog;

	private final StormDigest digest;

	private final Function<String, Mono<Boolean>> threadOpen;

	/**
	 * Create the coalescing of a listener's lanes.
	 * @param enabled whether messages are coalesced at all
	 * @param after how many waiting messages a breaker may have before they are coalesced
	 * @param backlog what each channel owes, and whether Slack limits it
	 * @param digest the storm digest, or {@code null}
	 * @param threadOpen whether a breaker's thread is open, read off the caller's thread
	 */
	public Coalescing(boolean enabled, int after, ChannelBacklog backlog, StormDigest digest,
			Function<String, Mono<Boolean>> threadOpen) {
		this.enabled = enabled;
		this.after = after;
		this.backlog = backlog;
		this.digest = digest;
		this.threadOpen = threadOpen;
	}

	/**
	 * Take the transitions of a lane's next message: the first alone, unless coalescing is on, Slack limits the
	 * channel and the breaker's thread is open. Never fails: whatever goes wrong tells the first alone.
	 * @param first the transition taken from the lane
	 * @param queue the lane's transitions still waiting
	 * @param channel the lane's channel
	 * @return the transitions of one message, oldest first
	 */
	public Mono<List<TransitionSnapshot>> take(TransitionSnapshot first, Queue<TransitionSnapshot> queue,
			String channel) {
		return Mono.defer(() -> (this.enabled && this.backlog.isLimited(channel))
				? this.threadOpen.apply(first.circuitBreaker()) : Mono.just(false))
			.map((open) -> open ? batch(first, queue, this.after,
					this.digest != null && this.digest.inStorm(channel)) : List.of(first))
			.onErrorResume((ex) -> {
				logger.warn("Could not decide whether to coalesce the messages of circuit breaker '{}'; telling {} "
						+ "alone", first.circuitBreaker(), first.transition(), ex);
				return Mono.just(List.of(first));
			});
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
