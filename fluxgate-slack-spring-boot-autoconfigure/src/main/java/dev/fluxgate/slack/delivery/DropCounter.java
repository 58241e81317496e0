package dev.fluxgate.slack.delivery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.fluxgate.slack.event.TransitionSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the messages given up before any attempt, tells the observer of each, and logs them at most every ten
 * seconds with how many there were: a full queue is one line, not one per transition.
 */
public final class DropCounter {

	private static final Logger logger = LoggerFactory.getLogger(DropCounter.class);

	private static final long REPORT_INTERVAL = Duration.ofSeconds(10).toNanos();

	private final DeliveryObserver observer;

	private final int queueCapacity;

	private final AtomicLong total = new AtomicLong();

	private final AtomicLong reported = new AtomicLong();

	private final AtomicLong lastReport = new AtomicLong(System.nanoTime() - REPORT_INTERVAL);

	/**
	 * Create a counter.
	 * @param observer told of each dropped message
	 * @param queueCapacity the queue's capacity, for the log
	 */
	public DropCounter(DeliveryObserver observer, int queueCapacity) {
		this.observer = observer;
		this.queueCapacity = queueCapacity;
	}

	/**
	 * Give a message up.
	 * @param snapshot the transition it would have told
	 */
	public void drop(TransitionSnapshot snapshot) {
		long dropped = this.total.incrementAndGet();
		this.observer.dropped(snapshot);
		long last = this.lastReport.get();
		long now = System.nanoTime();
		if (now - last >= REPORT_INTERVAL && this.lastReport.compareAndSet(last, now)) {
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
