package dev.fluxgate.slack.delivery;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.event.TransitionSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an observer's failure out of the delivery pipeline: what it throws is logged, once per observer and callback
 * at WARN and at DEBUG after that, and never changes what becomes of a message.
 */
public final class IsolatingDeliveryObserver implements DeliveryObserver {

	private static final Logger logger = LoggerFactory.getLogger(IsolatingDeliveryObserver.class);

	private final DeliveryObserver delegate;

	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	private IsolatingDeliveryObserver(DeliveryObserver delegate) {
		this.delegate = delegate;
	}

	public static DeliveryObserver of(DeliveryObserver observer) {
		return (observer == DeliveryObserver.NONE || observer instanceof IsolatingDeliveryObserver) ? observer
				: new IsolatingDeliveryObserver(observer);
	}

	private void call(String callback, Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			if (this.reported.add(callback)) {
				logger.warn("DeliveryObserver {} failed in {}; the message is not affected", this.delegate, callback,
						ex);
			}
			else {
				logger.debug("DeliveryObserver {} failed in {}: {}", this.delegate, callback, ex.toString());
			}
		}
	}

	@Override
	public void delivered(TransitionSnapshot snapshot, Duration took) {
		call("delivered", () -> this.delegate.delivered(snapshot, took));
	}

	@Override
	public void failed(TransitionSnapshot snapshot, SlackApiException failure) {
		call("failed", () -> this.delegate.failed(snapshot, failure));
	}

	@Override
	public void retrying(TransitionSnapshot snapshot, SlackApiException failure) {
		call("retrying", () -> this.delegate.retrying(snapshot, failure));
	}

	@Override
	public void requested(String method, Duration took, String outcome) {
		call("requested", () -> this.delegate.requested(method, took, outcome));
	}

	@Override
	public void coalesced(TransitionSnapshot snapshot) {
		call("coalesced", () -> this.delegate.coalesced(snapshot));
	}

	@Override
	public void silenced(TransitionSnapshot snapshot) {
		call("silenced", () -> this.delegate.silenced(snapshot));
	}

	@Override
	public void digested(TransitionSnapshot snapshot) {
		call("digested", () -> this.delegate.digested(snapshot));
	}

	@Override
	public void dropped(TransitionSnapshot snapshot) {
		call("dropped", () -> this.delegate.dropped(snapshot));
	}

	@Override
	public void storeFellBack(String operation, Throwable cause) {
		call("storeFellBack", () -> this.delegate.storeFellBack(operation, cause));
	}

	@Override
	public void storeRequested(String operation, Duration took, String outcome) {
		call("storeRequested", () -> this.delegate.storeRequested(operation, took, outcome));
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
