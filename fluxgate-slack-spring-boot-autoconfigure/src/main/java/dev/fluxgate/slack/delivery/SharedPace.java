package dev.fluxgate.slack.delivery;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * The pace of a channel shared by the replicas of a service: Slack limits a channel, not a process, so the fleet as a
 * whole sends at the sustained rate, and a refusal holds the channel for every replica.
 */
public interface SharedPace {

	/**
	 * Take a turn to post in a channel from the fleet's bucket.
	 * @param channel the channel ID
	 * @param burst how many messages the fleet may send at once
	 * @param interval the time the bucket takes to refill one message at the sustained rate
	 * @return {@link Duration#ZERO} once a turn was taken, or how long to wait before asking again
	 */
	Mono<Duration> turn(String channel, int burst, Duration interval);

	/**
	 * Hold a channel for the whole fleet, as Slack asked after refusing a message.
	 * @param channel the channel ID
	 * @param retryAfter how long Slack asked to wait
	 * @return completes once the hold is shared
	 */
	Mono<Void> hold(String channel, Duration retryAfter);

}
