package dev.fluxgate.slack.storm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackResponse;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.delivery.SlackPoster;
import dev.fluxgate.slack.event.TransitionSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Sends the steps of the storm digests' flushes: each step alone, retried like any message, its transitions counted
 * failed when it finally fails, and kept until it is done so that a close can count what was never told.
 */
final class DigestSender {

	private static final Logger logger = LoggerFactory.getLogger(DigestSender.class);

	private final SlackPoster poster;

	private final DeliveryObserver observer;

	private final Map<Object, List<TransitionSnapshot>> unsent = new ConcurrentHashMap<>();

	DigestSender(SlackPoster poster, DeliveryObserver observer) {
		this.poster = poster;
		this.observer = observer;
	}

	Mono<SlackResponse> post(ChatPostMessage message, String what) {
		return this.poster.post(message, what);
	}

	Mono<SlackResponse> update(ChatUpdate update, String what) {
		return this.poster.update(update, what);
	}

	/**
	 * One step of a flush, rendered when it runs, and failing alone, so that the steps after it are still posted.
	 * @param channel the digest's channel, for the log
	 * @param what what the step tells, for the log
	 * @param snapshots the transitions the step tells
	 * @param step the step
	 * @return completes when the step is done or given up; never fails
	 */
	Mono<Void> alone(String channel, String what, Collection<TransitionSnapshot> snapshots,
			Supplier<Mono<?>> step) {
		List<TransitionSnapshot> telling = new ArrayList<>(snapshots);
		Object key = new Object();
		this.unsent.put(key, telling);
		return Mono.defer(step).then().doOnTerminate(() -> this.unsent.remove(key)).onErrorResume((ex) -> {
			logger.warn("Could not post {} in the storm digest of channel {}; {} transitions are lost: {}", what,
					channel, telling.size(), ex.toString());
			SlackApiException failure = (ex instanceof SlackApiException slack) ? slack
					: new SlackApiException("client_error", SlackApiException.Kind.PERMANENT, null, ex.toString(),
							ex);
			telling.forEach((snapshot) -> this.observer.failed(snapshot, failure));
			return Mono.empty();
		});
	}

	/**
	 * Give up the steps still on their way.
	 * @return the transitions they were to tell
	 */
	List<TransitionSnapshot> giveUp() {
		List<TransitionSnapshot> lost = new ArrayList<>();
		this.unsent.values().forEach(lost::addAll);
		this.unsent.clear();
		return lost;
	}

}
