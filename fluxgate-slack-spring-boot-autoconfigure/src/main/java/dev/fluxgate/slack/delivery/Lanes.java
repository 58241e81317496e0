package dev.fluxgate.slack.delivery;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.fluxgate.slack.event.TransitionSnapshot;
import reactor.core.Disposable;

/**
 * The async listener's lanes: one per breaker with messages waiting or in flight, so that each breaker's messages go
 * strictly in order. A lane is removed as soon as it is idle.
 */
public final class Lanes {

	private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();

	/**
	 * Queue a transition in its breaker's lane.
	 * @return the lane, to be drained when it was idle
	 */
	public Lane offer(TransitionSnapshot snapshot, String channel) {
		return this.lanes.compute(snapshot.circuitBreaker(), (name, existing) -> {
			Lane target = (existing != null) ? existing : new Lane(name);
			target.channel = channel;
			target.queue.offer(snapshot);
			return target;
		});
	}

	/**
	 * Take a lane's next transition, or mark it idle and remove it when it has none.
	 * @return the next transition, or {@code null} when the lane is done
	 */
	public TransitionSnapshot next(Lane lane) {
		TransitionSnapshot first = lane.queue.poll();
		while (first == null) {
			lane.active.set(false);
			if (lane.queue.isEmpty() || !lane.active.compareAndSet(false, true)) {
				this.lanes.computeIfPresent(lane.name,
						(name, current) -> (current == lane && lane.queue.isEmpty() && !lane.active.get()) ? null
								: current);
				return null;
			}
			first = lane.queue.poll();
		}
		return first;
	}

	/**
	 * Give up every waiting transition and cancel the ones in flight.
	 * @param giveUp told of each waiting transition
	 */
	public void giveUp(Consumer<TransitionSnapshot> giveUp) {
		for (Lane lane : this.lanes.values()) {
			TransitionSnapshot left;
			while ((left = lane.queue.poll()) != null) {
				giveUp.accept(left);
			}
			Disposable inFlight = lane.inFlight;
			if (inFlight != null) {
				inFlight.dispose();
			}
		}
	}

	public boolean has(String circuitBreaker) {
		return this.lanes.containsKey(circuitBreaker);
	}

	public int size() {
		return this.lanes.size();
	}

	/**
	 * One breaker's lane.
	 */
	public static final class Lane {

		final String name;

		final Queue<TransitionSnapshot> queue = new ConcurrentLinkedQueue<>();

		final AtomicBoolean active = new AtomicBoolean();

		volatile String channel;

		volatile Disposable inFlight;

		Lane(String name) {
			this.name = name;
		}

		/**
		 * Mark the lane as being drained.
		 * @return whether it was idle, so the caller must start draining it
		 */
		public boolean activate() {
			return this.active.compareAndSet(false, true);
		}

		/**
		 * The transitions waiting behind the one being delivered, oldest first.
		 */
		public Queue<TransitionSnapshot> waiting() {
			return this.queue;
		}

		/**
		 * The channel of the latest transition queued.
		 */
		public String channel() {
			return this.channel;
		}

		/**
		 * Remember the delivery in flight, so that {@link Lanes#giveUp} can cancel it.
		 */
		public void inFlight(Disposable delivery) {
			this.inFlight = delivery;
		}

	}

}
