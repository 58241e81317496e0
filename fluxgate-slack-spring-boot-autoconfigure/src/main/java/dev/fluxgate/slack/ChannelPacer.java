package dev.fluxgate.slack;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * Paces the messages of each channel to Slack's limit, about one per second, so that a backlog is sent at the allowed
 * rate instead of collecting 429s. One Resilience4j {@link RateLimiter} per channel: {@code messages} per
 * {@code period}, which allows a burst of {@code messages} at the start of each period.
 */
public class ChannelPacer {

	/** One message per second: Slack's limit for {@code chat.postMessage} in a channel. */
	public static final ChannelPacer SLACK_DEFAULT = new ChannelPacer(1, Duration.ofSeconds(1));

	private final RateLimiterConfig config;

	private final ConcurrentMap<String, RateLimiter> channels = new ConcurrentHashMap<>();

	/**
	 * Create a pacer.
	 * @param messages how many messages a channel may take per period
	 * @param period the period
	 */
	public ChannelPacer(int messages, Duration period) {
		if (messages < 1 || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("pacing needs at least one message per positive period, was "
					+ messages + " per " + period);
		}
		this.config = RateLimiterConfig.custom()
			.limitForPeriod(messages)
			.limitRefreshPeriod(period)
			.timeoutDuration(Duration.ofDays(1))
			.build();
	}

	/**
	 * Reserve the next slot of a channel.
	 * @param channel the channel ID
	 * @return how long to wait before sending
	 */
	public Duration reserve(String channel) {
		long nanos = this.channels.computeIfAbsent(channel, (id) -> RateLimiter.of("slack-" + id, this.config))
			.reservePermission();
		return Duration.ofNanos(Math.max(0, nanos));
	}

	/**
	 * Return how many messages a channel takes in the given time at the paced rate.
	 * @param time the time
	 * @return the number of messages
	 */
	public long messagesIn(Duration time) {
		return this.config.getLimitForPeriod() * time.toNanos() / this.config.getLimitRefreshPeriod().toNanos();
	}

	@Override
	public String toString() {
		return "ChannelPacer[" + this.config.getLimitForPeriod() + " per " + this.config.getLimitRefreshPeriod() + "]";
	}

}
