package dev.fluxgate.slack.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The listeners' default clock: the system's time when it was created, moved on by {@link System#nanoTime()}, so
 * that a wall clock set back or forward never stretches a wait, a deadline or a pace.
 */
public final class MonotonicClock extends Clock {

	private final Instant base;

	private final long baseNanos;

	private final ZoneId zone;

	/**
	 * Create a clock that starts at the system's current time, in UTC.
	 */
	public MonotonicClock() {
		this(Instant.now(), System.nanoTime(), ZoneOffset.UTC);
	}

	private MonotonicClock(Instant base, long baseNanos, ZoneId zone) {
		this.base = base;
		this.baseNanos = baseNanos;
		this.zone = zone;
	}

	@Override
	public Instant instant() {
		return this.base.plusNanos(System.nanoTime() - this.baseNanos);
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return new MonotonicClock(this.base, this.baseNanos, zone);
	}

	@Override
	public String toString() {
		return "MonotonicClock";
	}

}
