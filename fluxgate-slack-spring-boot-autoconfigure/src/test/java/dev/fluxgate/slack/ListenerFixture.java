package dev.fluxgate.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.delivery.ChannelPacer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a listener test needs, as one JUnit extension: the Slack stand-in, a fresh {@link RecordingObserver} for each
 * test, real circuit breakers bound to the listener under test, and the listener closed after each test.
 * <p>
 * {@link #onVirtualTime()} runs the listener, and the stand-in's rate limit, on Reactor's virtual time: pacing,
 * retries and storm digests wait only as long as the test {@link #runUntil advances} the clock, so a minute of Slack's
 * pace takes a second or two.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final ListenerFixture fixture = ListenerFixture.onVirtualTime();
 *
 * &#64;Test
 * void oneThreadPerCycle() {
 *     fixture.use(fixture.configure(AsyncSlackListener.builder()).build());
 *     fixture.bound("payment").transitionToOpenState();
 *     fixture.runUntil(() -&gt; fixture.slack().delivered().size() == 1);
 * }
 * </pre>
 */
public final class ListenerFixture implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private static final Duration STEP = Duration.ofMillis(20);

	private static final Duration DEFAULT_AT_MOST = Duration.ofMinutes(5);

	private static final Duration REAL_AT_MOST = Duration.ofMinutes(1);

	/** How long the clock waits for the stand-in's answers: more than a loaded machine's round trip. */
	private static final Duration LONGEST_HOLD = Duration.ofMillis(200);

	private final SlackStandIn slack = new SlackStandIn();

	private final boolean virtual;

	private VirtualTimeScheduler time;

	private boolean warm;

	private RecordingObserver outcomes = new RecordingObserver();

	private final List<AbstractSlackListener> listeners = new ArrayList<>();

	private ListenerFixture(boolean virtual) {
		this.virtual = virtual;
		if (virtual) {
			this.time = VirtualTimeScheduler.create();
		}
	}

	/**
	 * A fixture whose listeners run on real time.
	 * @return the fixture
	 */
	public static ListenerFixture onRealTime() {
		return new ListenerFixture(false);
	}

	/**
	 * A fixture whose listeners, and the stand-in's rate limit, run on virtual time.
	 * @return the fixture
	 */
	public static ListenerFixture onVirtualTime() {
		return new ListenerFixture(true);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.outcomes = new RecordingObserver();
		if (this.virtual) {
			this.time = VirtualTimeScheduler.create();
			if (!this.warm) {
				// a JVM's first Slack call loads and starts what every later one reuses: not on the virtual clock
				WebClientSlackClient.builder()
					.token(SlackStandIn.TOKEN)
					.baseUrl(this.slack.baseUrl())
					.build()
					.authTest()
					.block(Duration.ofSeconds(30));
				this.warm = true;
			}
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		try {
			for (AbstractSlackListener listener : this.listeners) {
				if (this.virtual) {
					advanceUntil(() -> listener.getPending() == 0, Duration.ofMinutes(1));
				}
				listener.close();
			}
		}
		finally {
			this.listeners.clear();
			if (this.time != null) {
				this.time.dispose();
			}
			this.slack.afterEach(context);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.slack.afterAll(context);
	}

	/**
	 * Point a builder at the stand-in and the recording observer, and, on virtual time, at the fixture's clock and
	 * scheduler.
	 * @param <B> the builder's type
	 * @param builder the builder
	 * @return the builder
	 */
	public <B extends AbstractSlackListener.Builder<B>> B configure(B builder) {
		B configured = this.slack.configure(builder).observer(this.outcomes);
		return this.virtual ? configured.clock(clock()).scheduler(this.time) : configured;
	}

	/**
	 * Point a builder of either listener at the recording observer and the fixture's time; the stand-in is the
	 * caller's to set.
	 * @param builder the builder
	 */
	void observe(AbstractSlackListener.Builder<?> builder) {
		builder.observer(this.outcomes);
		if (this.virtual) {
			builder.clock(clock()).scheduler(this.time);
		}
	}

	/**
	 * Keep a listener to bind breakers to and to close after the test.
	 * @param <L> the listener's type
	 * @param listener the listener
	 * @return the listener
	 */
	public <L extends AbstractSlackListener> L use(L listener) {
		this.listeners.add(listener);
		return listener;
	}

	/**
	 * Return a new circuit breaker with the default settings, bound to the listener in use.
	 * @param name the breaker's name
	 * @return the breaker
	 */
	public CircuitBreaker bound(String name) {
		assertThat(this.listeners).as("a listener in use, see use(listener)").isNotEmpty();
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		this.listeners.get(this.listeners.size() - 1).bindTo(circuitBreaker);
		return circuitBreaker;
	}

	/**
	 * Enforce Slack's rate limit on the stand-in, on the fixture's clock.
	 * @param perSecond the sustained rate
	 * @param burst the bucket's size
	 */
	public void enforceRateLimit(double perSecond, int burst) {
		this.slack.enforceRateLimit(perSecond, burst, clock());
	}

	/**
	 * Wait until a condition holds: on virtual time, advance the clock step by step, holding it while the stand-in
	 * has a request it has not answered, for up to 200 ms of real time (Slack's answer takes no virtual time, but a
	 * stub's fixed delay, or an answer the client gave up on, does not stop the clock); on real time, wait. Fails when it does
	 * not hold within five minutes of the fixture's time, or a minute of real time.
	 * @param condition the condition
	 */
	public void runUntil(BooleanSupplier condition) {
		runUntil(condition, DEFAULT_AT_MOST);
	}

	/**
	 * Wait until a condition holds, at most a given time on the fixture's clock.
	 * @param condition the condition
	 * @param atMost how long it may take
	 */
	public void runUntil(BooleanSupplier condition, Duration atMost) {
		if (!this.virtual) {
			await().atMost(atMost).until(condition::getAsBoolean);
			return;
		}
		assertThat(advanceUntil(condition, atMost)).as("the condition to hold within %s of virtual time", atMost)
			.isTrue();
	}

	private boolean advanceUntil(BooleanSupplier condition, Duration atMost) {
		Instant until = clock().instant().plus(atMost);
		long realDeadline = System.nanoTime() + REAL_AT_MOST.toNanos();
		long heldSince = 0;
		while (!condition.getAsBoolean()) {
			long now = System.nanoTime();
			if (!clock().instant().isBefore(until) || now > realDeadline) {
				return false;
			}
			if (this.slack.unanswered() == 0) {
				heldSince = 0;
			}
			else if (heldSince == 0) {
				heldSince = now;
			}
			if (heldSince == 0 || now - heldSince > LONGEST_HOLD.toNanos()) {
				this.time.advanceTimeBy(STEP);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		return true;
	}

	/**
	 * Let a span of the fixture's time pass.
	 * @param span how long
	 */
	public void run(Duration span) {
		Instant until = clock().instant().plus(span);
		runUntil(() -> !clock().instant().isBefore(until), span.plus(STEP));
	}

	/**
	 * Return a pacer on the fixture's time.
	 * @param rate the messages per second a channel sends once Slack has rate-limited it
	 * @param burst how many messages a channel sends at once while Slack accepts them
	 * @return the pacer
	 */
	public ChannelPacer pacer(double rate, int burst) {
		return this.virtual ? new ChannelPacer(rate, burst, this.time) : new ChannelPacer(rate, burst);
	}

	/**
	 * Return the fixture's clock: the virtual scheduler's, or the system's.
	 * @return the clock
	 */
	public Clock clock() {
		return this.virtual ? VirtualClock.of(this.time) : Clock.systemUTC();
	}

	public SlackStandIn slack() {
		return this.slack;
	}

	public RecordingObserver outcomes() {
		return this.outcomes;
	}

}
