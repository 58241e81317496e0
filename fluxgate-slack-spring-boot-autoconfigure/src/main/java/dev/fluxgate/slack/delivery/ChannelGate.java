package dev.fluxgate.slack.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.MonoSink;

/**
 * The pacing state of one channel. Every change happens under its lock; permits are granted outside it.
 */
final class ChannelGate {

	private final ChannelPacer pacer;

	private final Deque<Waiter> waiters = new ArrayDeque<>();

	private Bucket burstBucket;

	private Bucket pacedBucket;

	private int inFlight;

	private boolean limited;

	private long heldUntil;

	private boolean wakeUpScheduled;

	ChannelGate(ChannelPacer pacer) {
		this.pacer = pacer;
		this.burstBucket = this.pacer.bucket(pacer.burst(), pacer.burst());
	}

	void enqueue(Waiter waiter, boolean retry) {
		synchronized (this) {
			refresh(this.pacer.now());
			if (retry) {
				this.waiters.addFirst(waiter);
			}
			else {
				this.waiters.addLast(waiter);
			}
		}
		pump();
	}

	void cancel(Waiter waiter) {
		synchronized (this) {
			this.waiters.remove(waiter);
		}
	}

	synchronized boolean isLimited() {
		refresh(this.pacer.now());
		return this.limited;
	}

	/**
	 * Leave the limited state once a whole interval went by with nothing waiting and nothing sent: no backlog. A
	 * hold that no message waited through ends one interval after it.
	 */
	private void refresh(long now) {
		if (this.limited && this.waiters.isEmpty() && this.inFlight == 0 && now >= this.heldUntil
				&& ((this.pacedBucket != null) ? this.pacedBucket.getAvailableTokens() >= 1
						: now - this.heldUntil >= this.pacer.intervalNanos())) {
			this.limited = false;
			this.pacedBucket = null;
			this.burstBucket = this.pacer.bucket(this.pacer.burst(), 1);
		}
	}

	private void pump() {
		List<Waiter> granted = new ArrayList<>(1);
		synchronized (this) {
			long now = this.pacer.now();
			while (!this.waiters.isEmpty()) {
				if (now < this.heldUntil) {
					wakeUpIn(this.heldUntil - now);
					break;
				}
				if (this.limited) {
					if (this.pacedBucket == null) {
						this.pacedBucket = this.pacer.bucket(1, 0);
					}
					if (this.inFlight > 0) {
						break;
					}
					ConsumptionProbe probe = this.pacedBucket.tryConsumeAndReturnRemaining(1);
					if (!probe.isConsumed()) {
						wakeUpIn(probe.getNanosToWaitForRefill());
						break;
					}
				}
				else if (!this.burstBucket.tryConsume(1) && this.inFlight > 0) {
					break;
				}
				this.inFlight++;
				granted.add(this.waiters.pollFirst());
			}
		}
		for (Waiter waiter : granted) {
			waiter.sink().success(new GatePermit(this));
		}
	}

	private void wakeUpIn(long nanos) {
		if (!this.wakeUpScheduled) {
			this.wakeUpScheduled = true;
			this.pacer.scheduler().schedule(() -> {
				synchronized (this) {
					this.wakeUpScheduled = false;
				}
				pump();
			}, Math.max(1, nanos), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Pace this channel as a limited one because the fleet's shared bucket made a message wait.
	 */
	void limitedByFleet() {
		synchronized (this) {
			this.limited = true;
		}
	}

	void release(Duration retryAfter) {
		synchronized (this) {
			this.inFlight--;
			if (retryAfter != null) {
				this.limited = true;
				this.pacedBucket = null;
				this.heldUntil = Math.max(this.heldUntil, this.pacer.now() + retryAfter.toNanos());
			}
		}
		pump();
	}

	/**
	 * A message waiting for its channel's turn.
	 */
	record Waiter(ChannelGate gate, MonoSink<ChannelPacer.Permit> sink) {
	}

	/**
	 * One turn of this channel, given back once.
	 */
	private static final class GatePermit implements ChannelPacer.Permit {

		private final ChannelGate gate;

		private boolean released;

		GatePermit(ChannelGate gate) {
			this.gate = gate;
		}

		@Override
		public void release(Duration retryAfter) {
			synchronized (this) {
				if (this.released) {
					return;
				}
				this.released = true;
			}
			this.gate.release(retryAfter);
		}

	}

}
