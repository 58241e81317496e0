package dev.fluxgate.slack.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import dev.fluxgate.slack.time.MonotonicClock;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Paces each channel's messages the way Slack asks, learning its limit instead of guessing it.
 * <p>
 * A channel sends freely while Slack accepts: up to {@code burst} messages at once, then one at a time as Slack
 * answers. The first HTTP 429 (or {@code ratelimited}) holds the whole channel for the {@code Retry-After} Slack sent;
 * after that the channel sends one message at a time at the sustained {@code rate}, from a continuously refilled token
 * bucket (Bucket4j), until its backlog is gone: a whole pacing interval passes with nothing waiting. Then bursts are
 * allowed again. Only {@code chat.postMessage} is paced: Slack limits {@code chat.update} in a tier of its own.
 */
public class ChannelPacer {

	private static final Logger logger = LoggerFactory.getLogger(ChannelPacer.class);

	/** Slack's sustained limit for {@code chat.postMessage} in one channel: one message per second. */
	public static final double DEFAULT_RATE = 1.0;

	/**
	 * How many messages a channel sends at once before Slack has refused one. Slack grants "short bursts above" one
	 * per second without saying how many; three stays within them, and past the burst a channel sends one message at a
	 * time, so the first refusal stops it after at most one message.
	 */
	public static final int DEFAULT_BURST = 3;

	private final double rate;

	private final int burst;

	private final Duration interval;

	private final Scheduler scheduler;

	private final LongSupplier clock;

	private final ConcurrentMap<String, ChannelGate> gates = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, String> channelIds = new ConcurrentHashMap<>();

	private final SharedPace shared;

	private final AtomicBoolean sharedFailing = new AtomicBoolean();

	/**
	 * Create a pacer with Slack's limits: {@value #DEFAULT_RATE} message per second once limited, a burst of
	 * {@value #DEFAULT_BURST} before.
	 * @return the pacer
	 */
	public static ChannelPacer slackDefault() {
		return new ChannelPacer(DEFAULT_RATE, DEFAULT_BURST);
	}

	/**
	 * Create a pacer.
	 * @param rate the messages per second a channel sends once Slack has rate-limited it
	 * @param burst how many messages a channel sends at once while Slack accepts them
	 */
	public ChannelPacer(double rate, int burst) {
		this(rate, burst, Schedulers.parallel(), nanos(new MonotonicClock()));
	}

	/**
	 * Create a pacer whose time is a scheduler's: its clock decides the holds and the pace, and it wakes the waiting
	 * messages. With Reactor's {@code VirtualTimeScheduler}, pacing runs on virtual time.
	 * @param rate the messages per second a channel sends once Slack has rate-limited it
	 * @param burst how many messages a channel sends at once while Slack accepts them
	 * @param scheduler the scheduler
	 */
	public ChannelPacer(double rate, int burst, Scheduler scheduler) {
		this(rate, burst, scheduler, () -> scheduler.now(TimeUnit.NANOSECONDS));
	}

	private ChannelPacer(double rate, int burst, Scheduler scheduler, LongSupplier clock) {
		this(rate, burst, scheduler, clock, null);
	}

	private ChannelPacer(double rate, int burst, Scheduler scheduler, LongSupplier clock, SharedPace shared) {
		if (!(rate > 0) || Double.isInfinite(rate) || burst < 1) {
			throw new IllegalArgumentException(
					"pacing needs a positive rate and a burst of at least 1, was " + rate + "/s and " + burst);
		}
		this.rate = rate;
		this.burst = burst;
		this.interval = Duration.ofNanos(Math.max(1, (long) (1e9 / rate)));
		this.scheduler = scheduler;
		this.clock = clock;
		this.shared = shared;
	}

	private static LongSupplier nanos(Clock clock) {
		return () -> {
			Instant now = clock.instant();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		};
	}

	/**
	 * Return a pacer like this one whose channels are also paced by the fleet: each message takes a turn from the
	 * fleet's bucket of its channel, and a refusal holds the channel for every replica. When the shared pace fails,
	 * this pacer alone paces the channel, and says so once.
	 * @param shared the pace the replicas share
	 * @return the pacer
	 */
	public ChannelPacer sharedBy(SharedPace shared) {
		return new ChannelPacer(this.rate, this.burst, this.scheduler, this.clock, shared);
	}

	/**
	 * Wait for a channel's turn to send one message. Cancelling the returned {@link Mono} gives up the turn.
	 * @param channel the channel ID
	 * @param retry whether the message was refused before and goes ahead of those waiting
	 * @return the permit, to be {@link Permit#release released} once Slack answered
	 */
	public Mono<Permit> acquire(String channel, boolean retry) {
		String id = channelId(channel);
		ChannelGate gate = this.gates.computeIfAbsent(id, (key) -> new ChannelGate(this));
		Mono<Permit> local = Mono.create((sink) -> {
			ChannelGate.Waiter waiter = new ChannelGate.Waiter(gate, sink);
			sink.onCancel(() -> gate.cancel(waiter));
			gate.enqueue(waiter, retry);
		});
		if (this.shared == null) {
			return local;
		}
		return local.flatMap((permit) -> fleetTurn(id, gate).doOnCancel(() -> permit.release(null))
			.thenReturn((Permit) (retryAfter) -> {
				permit.release(retryAfter);
				if (retryAfter != null) {
					shared(this.shared.hold(id, retryAfter)).subscribe();
				}
			}));
	}

	/**
	 * Take a turn from the fleet's bucket. A channel the fleet makes wait is limited here too, as if Slack had
	 * refused it, so that its backlog is coalesced and digested as usual.
	 */
	private Mono<Void> fleetTurn(String channel, ChannelGate gate) {
		return shared(this.shared.turn(channel, this.burst, this.interval)).flatMap((wait) -> {
			if (wait.isZero()) {
				return Mono.<Void>empty();
			}
			gate.limitedByFleet();
			return Mono.delay(wait, this.scheduler).then(Mono.defer(() -> fleetTurn(channel, gate)));
		});
	}

	private <T> Mono<T> shared(Mono<T> call) {
		return call.doOnSuccess((answer) -> this.sharedFailing.set(false)).onErrorResume((ex) -> {
			if (this.sharedFailing.compareAndSet(false, true)) {
				logger.warn("The fleet's shared pace failed; each replica paces its channels alone until it answers "
						+ "again: {}", ex.toString());
			}
			else {
				logger.debug("The fleet's shared pace failed again", ex);
			}
			return Mono.empty();
		});
	}

	/**
	 * Whether a channel is held or paced after Slack rate-limited it, and still has a backlog.
	 * @param channel the channel ID
	 * @return whether the channel is limited
	 */
	public boolean isLimited(String channel) {
		ChannelGate gate = this.gates.get(channelId(channel));
		return gate != null && gate.isLimited();
	}

	/**
	 * Learn the ID Slack answered for a channel that was addressed by another name, such as {@code #alerts}, so
	 * that both share one pace: Slack limits the channel, whatever it is called.
	 * @param channel the channel as addressed
	 * @param channelId the channel's ID from Slack's answer
	 */
	public void learnChannelId(String channel, String channelId) {
		if (channelId != null && !channelId.equals(channel) && this.channelIds.putIfAbsent(channel, channelId) == null) {
			ChannelGate named = this.gates.remove(channel);
			if (named != null) {
				this.gates.putIfAbsent(channelId, named);
			}
		}
	}

	private String channelId(String channel) {
		return this.channelIds.getOrDefault(channel, channel);
	}

	/**
	 * Return how many messages a channel sends in the given time at the sustained rate.
	 * @param time the time
	 * @return the number of messages
	 */
	public long messagesIn(Duration time) {
		return (long) (this.rate * time.toNanos() / 1e9);
	}

	/**
	 * Return the sustained rate.
	 * @return messages per second
	 */
	public double getRate() {
		return this.rate;
	}

	/**
	 * Return how many messages a channel sends at once while Slack accepts them.
	 * @return the burst
	 */
	public int getBurst() {
		return this.burst;
	}

	@Override
	public String toString() {
		return "ChannelPacer[rate=" + this.rate + "/s, burst=" + this.burst
				+ ((this.shared != null) ? ", shared=" + this.shared : "") + "]";
	}

	int burst() {
		return this.burst;
	}

	long intervalNanos() {
		return this.interval.toNanos();
	}

	Scheduler scheduler() {
		return this.scheduler;
	}

	long now() {
		return this.clock.getAsLong();
	}

	Bucket bucket(int capacity, long initialTokens) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder()
				.capacity(capacity)
				.refillGreedy(1, this.interval)
				.initialTokens(initialTokens)
				.build())
			.withCustomTimePrecision(new TimeMeter() {

				@Override
				public long currentTimeNanos() {
					return now();
				}

				@Override
				public boolean isWallClockBased() {
					return false;
				}

			})
			.build();
	}

	/**
	 * One turn of a channel: the caller sends its message, then releases the permit with Slack's verdict.
	 */
	public interface Permit {

		/**
		 * Give the turn back.
		 * @param retryAfter how long Slack asked to wait when it rate-limited the message, or {@code null}
		 */
		void release(Duration retryAfter);

	}

}
