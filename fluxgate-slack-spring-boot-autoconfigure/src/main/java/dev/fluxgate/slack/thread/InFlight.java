package dev.fluxgate.slack.thread;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Whether a listener still holds some of a circuit breaker's messages: queued, in flight or held by a storm digest.
 * The parts that hold messages register here, and a fleet's heartbeat asks before it reconciles a breaker's
 * membership with its state.
 */
public final class InFlight implements Predicate<String> {

	private final List<Predicate<String>> holders = new CopyOnWriteArrayList<>();

	/**
	 * Register a part that holds messages.
	 * @param holder whether it holds some of a breaker's messages, by the breaker's name
	 */
	public void add(Predicate<String> holder) {
		this.holders.add(Objects.requireNonNull(holder, "holder must not be null"));
	}

	@Override
	public boolean test(String circuitBreaker) {
		for (Predicate<String> holder : this.holders) {
			if (holder.test(circuitBreaker)) {
				return true;
			}
		}
		return false;
	}

}
