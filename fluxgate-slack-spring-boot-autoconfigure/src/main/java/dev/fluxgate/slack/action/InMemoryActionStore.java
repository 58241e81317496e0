package dev.fluxgate.slack.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

	private static final int MAX_THREADS = 10_000;

	private final Clock clock;

	private final Map<String, Instant> claims = new ConcurrentHashMap<>();

	private final Map<String, ActionEvent> forcedOpen = new ConcurrentHashMap<>();

	private final Map<String, ThreadMarks> marks = new ConcurrentHashMap<>();

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
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
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
						if (this.marks.size() >= MAX_THREADS) {
							this.marks.clear();
						}
						this.marks.compute(event.threadTs(),
								(ts, before) -> event.applyTo((before != null) ? before : ThreadMarks.NONE));
					}
				}
			}
			synchronized (this.events) {
				this.events.tryEmitNext(new Signal(event));
			}
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
