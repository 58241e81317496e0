package dev.fluxgate.slack.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pacing learned from Slack, on virtual time: a channel sends its burst at once and then one message at a time
 * as Slack answers; the first 429 holds it for {@code Retry-After}; then it sends at the sustained rate from a
 * bucket that starts empty, until a whole interval passes with nothing waiting.
 */
class ChannelPacerTests {

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final ChannelPacer pacer = new ChannelPacer(1.0, 3, this.time);

	private final List<ChannelPacer.Permit> granted = new ArrayList<>();

	private final List<Disposable> waiting = new ArrayList<>();

	@AfterEach
	void stop() {
		this.waiting.forEach(Disposable::dispose);
		this.time.dispose();
	}

	@Test
	void aChannelSendsItsBurstAtOnceThenOneAtATimeAsSlackAnswers() {
		acquire(5);
		assertThat(this.granted).hasSize(3);
		release(0, 1);
		assertThat(this.granted).as("past the burst, the next waits while any is in flight").hasSize(3);
		release(2);
		assertThat(this.granted).as("one at a time, as soon as Slack answered all").hasSize(4);
		release(3);
		assertThat(this.granted).hasSize(5);
		assertThat(this.pacer.isLimited("C1")).isFalse();
	}

	@Test
	void theFirst429HoldsTheChannelForRetryAfterThenTheSustainedRateStartsFromAnEmptyBucket() {
		acquire(4);
		release(0, 1);
		release(2);
		assertThat(this.granted).hasSize(4);
		acquire(3);
		this.granted.get(3).release(Duration.ofSeconds(2));
		assertThat(this.pacer.isLimited("C1")).isTrue();
		this.time.advanceTimeBy(Duration.ofMillis(2999));
		assertThat(this.granted).as("held for Retry-After plus one interval").hasSize(4);
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.granted).hasSize(5);
		release(4);
		this.time.advanceTimeBy(Duration.ofMillis(999));
		assertThat(this.granted).as("one message per second while paced").hasSize(5);
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.granted).hasSize(6);
	}

	@Test
	void aRefusedMessageGoesFirstWhenTheHoldEnds() {
		List<String> order = new ArrayList<>();
		this.waiting.add(this.pacer.acquire("C1", false).subscribe((permit) -> {
			order.add("first");
			permit.release(Duration.ofSeconds(1));
		}));
		this.waiting.add(this.pacer.acquire("C1", false).subscribe((permit) -> order.add("second")));
		this.waiting.add(this.pacer.acquire("C1", true).subscribe((permit) -> order.add("retry of first")));
		this.time.advanceTimeBy(Duration.ofSeconds(2));
		assertThat(order).containsExactly("first", "retry of first");
	}

	@Test
	void aChannelIsFreeAgainOnceAWholeIntervalPassedWithNothingWaiting() {
		acquire(4);
		release(0, 1);
		this.granted.get(2).release(Duration.ofSeconds(1));
		assertThat(this.pacer.isLimited("C1")).isTrue();
		this.time.advanceTimeBy(Duration.ofSeconds(2));
		assertThat(this.granted).as("the waiting message, after the hold and one interval").hasSize(4);
		release(3);
		this.time.advanceTimeBy(Duration.ofMillis(999));
		assertThat(this.pacer.isLimited("C1")).as("not a whole interval yet").isTrue();
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.pacer.isLimited("C1")).isFalse();
		acquire(1);
		assertThat(this.granted).as("free again: the next message goes at once").hasSize(5);
	}

	@Test
	void aHoldNoMessageWaitedThroughEndsOneIntervalAfterIt() {
		acquire(1);
		this.granted.get(0).release(Duration.ofSeconds(1));
		this.time.advanceTimeBy(Duration.ofMillis(1999));
		assertThat(this.pacer.isLimited("C1")).isTrue();
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.pacer.isLimited("C1")).isFalse();
	}

	@Test
	void cancellingAWaitGivesTheTurnBack() {
		acquire(3);
		Disposable cancelled = this.pacer.acquire("C1", false).subscribe(this.granted::add);
		acquire(1);
		cancelled.dispose();
		release(0, 1, 2);
		assertThat(this.granted).as("the next waiter gets the turn the cancelled one gave up").hasSize(4);
	}

	@Test
	void channelsArePacedApart() {
		acquire(1);
		this.granted.get(0).release(Duration.ofSeconds(30));
		this.waiting.add(this.pacer.acquire("C2", false).subscribe(this.granted::add));
		assertThat(this.granted).hasSize(2);
		assertThat(this.pacer.isLimited("C2")).isFalse();
	}

	private void release(int... indexes) {
		List<ChannelPacer.Permit> permits = new ArrayList<>(this.granted);
		for (int index : indexes) {
			permits.get(index).release(null);
		}
	}

	private void acquire(int count) {
		for (int i = 0; i < count; i++) {
			this.waiting.add(this.pacer.acquire("C1", false).subscribe(this.granted::add));
		}
	}

}
