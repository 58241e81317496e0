package dev.fluxgate.slack;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import reactor.core.scheduler.Scheduler;

/**
 * A scheduler's time as a {@link Clock}: with Reactor's {@code VirtualTimeScheduler}, the listener's clock moves only
 * when the test advances it.
 */
public final class VirtualClock extends Clock {

	private final Scheduler scheduler;

	private VirtualClock(Scheduler scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * Return the clock of a scheduler.
	 * @param scheduler the scheduler, usually a {@code VirtualTimeScheduler}
	 * @return its clock
	 */
	public static Clock of(Scheduler scheduler) {
		return new VirtualClock(scheduler);
	}

	@Override
	public Instant instant() {
		long nanos = this.scheduler.now(TimeUnit.NANOSECONDS);
		return Instant.ofEpochSecond(0, nanos);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("a virtual clock has no zone but UTC");
	}

}
