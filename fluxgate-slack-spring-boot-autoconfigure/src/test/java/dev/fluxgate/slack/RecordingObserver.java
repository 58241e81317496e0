package dev.fluxgate.slack;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.event.TransitionSnapshot;

/**
 * A {@link DeliveryObserver} that records what became of each message, for tests to assert on.
 */
public class RecordingObserver implements DeliveryObserver {

	final Queue<TransitionSnapshot> delivered = new ConcurrentLinkedQueue<>();

	final Queue<SlackApiException> failed = new ConcurrentLinkedQueue<>();

	final Queue<SlackApiException> retried = new ConcurrentLinkedQueue<>();

	final Queue<TransitionSnapshot> dropped = new ConcurrentLinkedQueue<>();

	final Queue<TransitionSnapshot> coalesced = new ConcurrentLinkedQueue<>();

	final Queue<TransitionSnapshot> digested = new ConcurrentLinkedQueue<>();

	@Override
	public void delivered(TransitionSnapshot snapshot, Duration took) {
		this.delivered.add(snapshot);
	}

	@Override
	public void failed(TransitionSnapshot snapshot, SlackApiException failure) {
		this.failed.add(failure);
	}

	@Override
	public void retrying(TransitionSnapshot snapshot, SlackApiException failure) {
		this.retried.add(failure);
	}

	@Override
	public void dropped(TransitionSnapshot snapshot) {
		this.dropped.add(snapshot);
	}

	@Override
	public void digested(TransitionSnapshot snapshot) {
		this.digested.add(snapshot);
	}

	@Override
	public void coalesced(TransitionSnapshot snapshot) {
		this.coalesced.add(snapshot);
	}

}
