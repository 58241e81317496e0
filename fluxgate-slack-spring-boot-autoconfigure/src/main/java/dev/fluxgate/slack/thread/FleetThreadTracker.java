package dev.fluxgate.slack.thread;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.fluxgate.slack.TransitionSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The thread rules of a fleet: several replicas of a service, each with its own circuit breaker of the same name,
 * share one thread per failure cycle in a shared {@link ThreadStore}. Every decision is one compare-and-set on the
 * store, taken before the message is sent:
 * <ul>
 * <li>the first replica to trip claims the cycle and posts the root; the others wait for its {@code ts} while the
 * claim holds, and a claim whose replica failed to post, or died, lapses so the next one posts the root;</li>
 * <li>each replica's transitions reply in the thread and make it a member, with its state;</li>
 * <li>a replica that recovers while others are still in the cycle leaves it with a plain reply, and the last one
 * sends the broadcast recovery and ends the thread;</li>
 * <li>members renew a heartbeat ({@link FleetHeartbeat}); a cycle whose members all stopped reporting is ended by one
 * live replica that was in it, and a replica restarted with the same instance id leaves, one heartbeat after it
 * started, the cycles its earlier life was in.</li>
 * </ul>
 */
public class FleetThreadTracker extends ThreadTracker {

	private static final Logger logger = LoggerFactory.getLogger(FleetThreadTracker.class);

	private static final int MAX_CONFLICTS = 64;

	private static final Duration FIRST_POLL = Duration.ofMillis(50);

	private static final Duration LONGEST_POLL = Duration.ofSeconds(5);

	private final String instance;

	private final FleetHeartbeat heartbeat;

	private final Duration silence;

	private final Duration claimTtl;

	private final Clock clock;

	private final Scheduler scheduler;

	private final ConcurrentMap<String, SlackThread> claiming = new ConcurrentHashMap<>();


	/**
	 * Create a fleet's tracker and start its heartbeats.
	 * @param store the store the replicas share
	 * @param tracked whether a circuit breaker's threads are still kept
	 * @param instance this replica's instance id
	 * @param heartbeat how often this replica renews its membership; a member silent for three is gone
	 * @param claimTtl how long a claim holds unless its replica renews it, as it does while it still tries to post
	 * @param clock the clock of heartbeats and claims
	 * @param scheduler where heartbeats, claim renewals and waits run
	 */
	public FleetThreadTracker(ThreadStore store, Predicate<String> tracked, String instance, Duration heartbeat,
			Duration claimTtl, Clock clock, Scheduler scheduler) {
		super(store, tracked);
		this.instance = Objects.requireNonNull(instance, "instance must not be null");
		this.claimTtl = Objects.requireNonNull(claimTtl, "claimTtl must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
		this.heartbeat = new FleetHeartbeat(store, instance, heartbeat, clock, scheduler);
		this.silence = this.heartbeat.silence();
	}

	/**
	 * Set what posts the end of a cycle whose members are gone.
	 * @param onEnded posts the reply and edits the root; never fails
	 */
	public void onEnded(Function<CycleEnded, Mono<Void>> onEnded) {
		this.heartbeat.onEnded(Objects.requireNonNull(onEnded, "onEnded must not be null"));
	}

	/**
	 * Return this replica's instance id.
	 * @return the instance id
	 */
	public String instance() {
		return this.instance;
	}

	@Override
	public Mono<Plan> plan(TransitionSnapshot snapshot, Supplier<String> channel) {
		return attempt(snapshot, channel, 0, FIRST_POLL);
	}

	private Mono<Plan> attempt(TransitionSnapshot snapshot, Supplier<String> channel, int conflicts) {
		return attempt(snapshot, channel, conflicts, FIRST_POLL);
	}

	/**
	 * Read the breaker's thread and decide; while another replica's claim holds, ask again after a wait that doubles
	 * up to five seconds, so that a root queued behind a long backlog costs few reads.
	 */
	private Mono<Plan> attempt(TransitionSnapshot snapshot, Supplier<String> channel, int conflicts,
			Duration poll) {
		return store().find(snapshot.circuitBreaker())
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((found) -> decide(snapshot, channel, found.orElse(null), conflicts, poll));
	}

	private Mono<Plan> decide(TransitionSnapshot snapshot, Supplier<String> channel, SlackThread thread, int conflicts,
			Duration poll) {
		String name = snapshot.circuitBreaker();
		State to = snapshot.transition().to();
		Instant now = this.clock.instant();
		if (thread == null) {
			if (to != State.OPEN) {
				return Mono.just(Plan.of(to, null));
			}
			SlackThread claim = SlackThread.claimed(snapshot, channel.get(), this.instance,
					now.plus(this.claimTtl));
			return write(store().create(claim), snapshot, channel, conflicts, () -> {
				this.claiming.put(name, claim);
				return new Plan(ThreadRules.next(to, null), null, claim, Map.of(this.instance, to));
			});
		}
		if (thread.isClaim()) {
			boolean mine = this.instance.equals(thread.fleet().claimedBy());
			if (thread.fleet().claimUntil().isBefore(now) || (mine && !this.claiming.containsKey(name))) {
				logger.debug("The claim of circuit breaker '{}' by {} lapsed; it is taken over", name,
						thread.fleet().claimedBy());
				return store().remove(thread).then(Mono.defer(() -> attempt(snapshot, channel, conflicts + 1)));
			}
			Duration next = (poll.compareTo(LONGEST_POLL) < 0) ? poll.multipliedBy(2) : LONGEST_POLL;
			return Mono.delay(poll, this.scheduler)
				.then(Mono.defer(() -> attempt(snapshot, channel, conflicts, next)));
		}
		if (ThreadRules.endsCycle(to)) {
			Fleet left = thread.fleet().without(this.instance);
			Map<String, Fleet.Member> others = left.live(now, this.silence);
			if (!others.isEmpty()) {
				SlackThread next = thread.followedBy(snapshot).withFleet(left);
				return write(store().replace(thread, next), snapshot, channel, conflicts, () -> {
					this.heartbeat.left(name);
					return new Plan(new ThreadRules.Step(thread.threadTs(), false, false, false), thread, next,
							states(others));
				});
			}
			return write(store().remove(thread), snapshot, channel, conflicts, () -> {
				this.heartbeat.ended(name);
				return new Plan(ThreadRules.next(to, thread), thread, null, Map.of());
			});
		}
		Fleet moved = thread.fleet().with(this.instance, to, now);
		SlackThread next = thread.followedBy(snapshot).withFleet(moved);
		return write(store().replace(thread, next), snapshot, channel, conflicts, () -> {
			this.heartbeat.joined(name);
			return new Plan(ThreadRules.next(to, thread), thread, next, states(moved.live(now, this.silence)));
		});
	}

	private Mono<Plan> write(Mono<Boolean> change, TransitionSnapshot snapshot, Supplier<String> channel, int conflicts,
			Supplier<Plan> plan) {
		return change.flatMap((done) -> {
			if (done) {
				return Mono.just(plan.get());
			}
			if (conflicts >= MAX_CONFLICTS) {
				return Mono.error(new IllegalStateException("The shared thread of circuit breaker '"
						+ snapshot.circuitBreaker() + "' changed under each of " + MAX_CONFLICTS + " attempts"));
			}
			return attempt(snapshot, channel, conflicts + 1);
		});
	}

	@Override
	public <T> Mono<T> whilePosting(TransitionSnapshot snapshot, Plan plan, Mono<T> posting) {
		if (!plan.step().startsThread() || !this.claiming.containsKey(snapshot.circuitBreaker())) {
			return posting;
		}
		return Mono.defer(() -> {
			Disposable renewals = Flux.interval(this.claimTtl.dividedBy(3), this.scheduler)
				.onBackpressureDrop()
				.concatMap((tick) -> renewClaim(snapshot.circuitBreaker()), 1)
				.subscribe(null, (ex) -> logger.debug("Could not renew the claim of circuit breaker '{}'",
						snapshot.circuitBreaker(), ex));
			return posting.doFinally((signal) -> renewals.dispose());
		});
	}

	private Mono<Boolean> renewClaim(String circuitBreaker) {
		return myClaim(circuitBreaker).flatMap((claim) -> {
			SlackThread renewed = claim.withFleet(Fleet.claim(this.instance, this.clock.instant().plus(this.claimTtl)));
			return store().replace(claim, renewed)
				.doOnNext((done) -> {
					if (done) {
						this.claiming.computeIfPresent(circuitBreaker, (name, cached) -> renewed);
					}
				});
		});
	}

	private Mono<SlackThread> myClaim(String circuitBreaker) {
		return store().find(circuitBreaker)
			.filter((thread) -> thread.isClaim() && this.instance.equals(thread.fleet().claimedBy()));
	}

	@Override
	public Mono<Boolean> delivered(TransitionSnapshot snapshot, Plan plan, String channel, String ts) {
		String name = snapshot.circuitBreaker();
		SlackThread claim = plan.step().startsThread() ? this.claiming.remove(name) : null;
		if (claim == null) {
			return Mono.just(true);
		}
		Instant now = this.clock.instant();
		return store().replace(claim, claim.posted(channel, ts, this.instance, now))
			.flatMap((recorded) -> recorded ? Mono.just(true) : recordRoot(name, channel, ts, 1))
			.map((recorded) -> {
				if (recorded) {
					this.heartbeat.joined(name);
				}
				else {
					logger.warn("The claim of circuit breaker '{}' lapsed while its root was posted; another replica "
							+ "may have posted one too", name);
				}
				return recorded;
			});
	}

	/**
	 * Record the root of a claim that changed since it was made, as when it was renewed while the root was posted.
	 */
	private Mono<Boolean> recordRoot(String name, String channel, String ts, int attempt) {
		return myClaim(name)
			.flatMap((claim) -> store().replace(claim, claim.posted(channel, ts, this.instance, this.clock.instant())))
			.flatMap((recorded) -> (recorded || attempt >= 3) ? Mono.just(recorded)
					: recordRoot(name, channel, ts, attempt + 1))
			.defaultIfEmpty(false);
	}

	@Override
	public Mono<Void> undelivered(TransitionSnapshot snapshot, Plan plan) {
		String name = snapshot.circuitBreaker();
		if (plan.step().startsThread() && this.claiming.remove(name) != null) {
			return myClaim(name).flatMap((claim) -> store().remove(claim)).then();
		}
		return Mono.empty();
	}

	@Override
	public void bound(String circuitBreaker, Supplier<State> state) {
		this.heartbeat.bound(circuitBreaker, state);
	}

	private static Map<String, State> states(Map<String, Fleet.Member> members) {
		Map<String, State> states = new TreeMap<>();
		members.forEach((instance, member) -> states.put(instance, member.state()));
		return states;
	}

	@Override
	public void close() {
		this.heartbeat.close();
	}

}
