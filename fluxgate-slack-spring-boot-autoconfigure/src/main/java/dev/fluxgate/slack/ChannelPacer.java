package dev.fluxgate.slack;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * Paces the messages of each channel to Slack's limit, about one per second with short bursts, so that a backlog is
 * sent at the allowed rate instead of collecting 429s. One Resilience4j {@link RateLimiter} per channel.
 */
public class ChannelPacer {

	/** Three messages per three seconds: Slack's one per second, with a burst of three. */
	public static final ChannelPacer SLACK_DEFAULT = new ChannelPacer(3, Duration.ofSeconds(3));

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
