package dev.fluxgate.slack.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.fluxgate.slack.event.TransitionSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the messages given up before any attempt, tells the observer of each, and logs them at most every ten
 * seconds with how many there were: a full queue is one line, not one per transition.
 */
public final class DropCounter {

	private static final Logger logger = LoggerFactory.getLogger(DropCounter.class);

	private static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);

	private final DeliveryObserver observer;

	private final int queueCapacity;

	private final AtomicLong total = new AtomicLong();

	private final AtomicLong reported = new AtomicLong();

	private final Clock clock;

	private final AtomicReference<Instant> lastReport = new AtomicReference<>(Instant.MIN);

	/**
	 * Create a counter.
	 * @param observer told of each dropped message
	 * @param queueCapacity the queue's capacity, for the log
	 * @param clock the clock the log's interval is kept on
	 */
	public DropCounter(DeliveryObserver observer, int queueCapacity, Clock clock) {
		this.observer = observer;
		this.queueCapacity = queueCapacity;
		this.clock = clock;
	}

	/**
	 * Give a message up.
	 * @param snapshot the transition it would have told
	 */
	public void drop(TransitionSnapshot snapshot) {
		long dropped = this.total.incrementAndGet();
		this.observer.dropped(snapshot);
		Instant last = this.lastReport.get();
		Instant now = this.clock.instant();
		if (!now.isBefore(last.plus(REPORT_INTERVAL)) && this.lastReport.compareAndSet(last, now)) {
			long since = dropped - this.reported.getAndSet(dropped);
			logger.warn("Dropped {} Slack message(s) ({} in all): {} messages were already waiting "
					+ "(fluxgate.slack.queue-capacity), or the listener is closed", since, dropped, this.queueCapacity);
		}
	}

	/**
	 * Return how many messages were dropped.
	 * @return the number of dropped messages
	 */
	public long total() {
		return this.total.get();
	}

}
