package dev.fluxgate.slack.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An {@link ActionStore} of one process: an action applies to this replica only.
 */
public class InMemoryActionStore implements ActionStore {

	private static final Duration CLAIM_TTL = Duration.ofMinutes(10);

	/** How long a thread's marks are kept after their last action or keep, by default: the thread TTL's default. */
	public static final Duration DEFAULT_MARKS_TTL = Duration.ofDays(7);

	private final Clock clock;

	private final Map<String, Instant> claims = new ConcurrentHashMap<>();

	private final Map<String, ActionEvent> forcedOpen = new ConcurrentHashMap<>();

	private final Map<String, ThreadMarks> marks = new ConcurrentHashMap<>();

	private final Map<String, Instant> marksKeptUntil = new ConcurrentHashMap<>();

	private final Duration marksTtl;

	private final Sinks.Many<Signal> events = Sinks.many().multicast().directBestEffort();

	/**
	 * Create a store on the system clock.
	 */
	public InMemoryActionStore() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a store.
	 * @param clock the clock that ages the claimed envelopes
	 */
	public InMemoryActionStore(Clock clock) {
		this(clock, DEFAULT_MARKS_TTL);
	}

	/**
	 * Create a store.
	 * @param clock the clock that ages the claimed envelopes and the marks
	 * @param marksTtl how long a thread's marks are kept after their last action, unless {@link #keep kept}
	 */
	public InMemoryActionStore(Clock clock, Duration marksTtl) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.marksTtl = Objects.requireNonNull(marksTtl, "marksTtl must not be null");
	}

	@Override
	public Mono<Boolean> claim(String envelopeId) {
		return Mono.fromSupplier(() -> {
			Instant now = this.clock.instant();
			this.claims.values().removeIf((until) -> !until.isAfter(now));
			return this.claims.putIfAbsent(envelopeId, now.plus(CLAIM_TTL)) == null;
		});
	}

	@Override
	public Mono<Void> record(ActionEvent event) {
		return Mono.fromRunnable(() -> {
			switch (event.action()) {
				case FORCE_OPEN -> this.forcedOpen.put(event.circuitBreaker(), event);
				case CLOSE, RESET -> this.forcedOpen.remove(event.circuitBreaker());
				default -> {
					if (event.threadTs() != null) {
						ageOut();
						this.marks.compute(event.threadTs(),
								(ts, before) -> event.applyTo((before != null) ? before : ThreadMarks.NONE));
						this.marksKeptUntil.put(event.threadTs(), this.clock.instant().plus(this.marksTtl));
					}
				}
			}
			synchronized (this.events) {
				this.events.tryEmitNext(new Signal(event));
			}
		});
	}

	@Override
	public Mono<Void> keep(Collection<String> threadTs) {
		return Mono.fromRunnable(() -> {
			Instant until = this.clock.instant().plus(this.marksTtl);
			threadTs.stream().filter(this.marks::containsKey).forEach((ts) -> this.marksKeptUntil.put(ts, until));
			ageOut();
		});
	}

	private void ageOut() {
		Instant now = this.clock.instant();
		this.marksKeptUntil.entrySet().removeIf((entry) -> {
			boolean expired = !entry.getValue().isAfter(now);
			if (expired) {
				this.marks.remove(entry.getKey());
			}
			return expired;
		});
	}

	@Override
	public Flux<Signal> events() {
		return this.events.asFlux();
	}

	@Override
	public Mono<Snapshot> snapshot() {
		return Mono.fromSupplier(() -> new Snapshot(this.forcedOpen, this.marks));
	}

	@Override
	public String toString() {
		return "InMemoryActionStore[forcedOpen=" + this.forcedOpen.keySet() + "]";
	}

}
