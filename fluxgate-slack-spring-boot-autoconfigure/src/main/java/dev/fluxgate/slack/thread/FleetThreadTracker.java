package dev.fluxgate.slack.thread;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.fluxgate.slack.event.TransitionSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The thread rules of a fleet: several replicas of a service, each with its own circuit breaker of the same name,
 * share one thread per failure cycle in a {@link ThreadStore#isShared() shared} store. Every decision is one
 * compare-and-set on the store, taken before the message is sent, and every time compared is the store's:
 * <ul>
 * <li>the first replica to trip claims the cycle and posts the root; the others wait for its {@code ts} while the
 * claim holds, and a claim whose replica failed to post, or died, lapses so the next one posts the root;</li>
 * <li>each replica's transitions reply in the thread and make it a member, with its state;</li>
 * <li>a replica that recovers while others are still in the cycle leaves it with a plain reply, and the last one
 * sends the broadcast recovery and ends the thread;</li>
 * <li>every heartbeat renews this replica's memberships with its breakers' states, and every live replica ends the
 * cycles whose members all stopped reporting, found in the store's index of open cycles; a replica about to join a
 * cycle with no live member ends it first, and its own trip starts a new root;</li>
 * <li>a replica judges others dead only once its own requests to the store have succeeded for a whole silence, so
 * that a store that paused does not make every replica look dead;</li>
 * <li>when the store cannot answer, the message is planned as one process would on what is known, and is still
 * delivered; the heartbeat later makes the store agree with the breaker.</li>
 * </ul>
 */
public final class FleetThreadTracker implements ThreadTracker {

	private static final Logger logger = LoggerFactory.getLogger(FleetThreadTracker.class);

	private static final int MAX_CONFLICTS = 64;

	private static final Duration FIRST_POLL = Duration.ofMillis(50);

	private static final Duration LONGEST_POLL = Duration.ofSeconds(5);

	private final ThreadStore store;

	private final Predicate<String> tracked;

	private final Predicate<String> pending;

	private final String instance;

	private final Duration heartbeat;

	private final Duration silence;

	private final Duration claimTtl;

	private final Scheduler scheduler;

	private final ConcurrentMap<String, SlackThread> claiming = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Long> joined = new ConcurrentHashMap<>();

	/**
	 * The cycles this replica joined through the heartbeat while their root was being posted: once posted they are
	 * joined, and a breaker that closed meanwhile leaves them; no earlier life's.
	 */
	private final Set<String> inClaims = ConcurrentHashMap.newKeySet();

	private final AtomicLong joins = new AtomicLong();

	private final ConcurrentMap<String, Supplier<State>> breakers = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, State> toldFailing = new ConcurrentHashMap<>();

	private final Set<String> planning = ConcurrentHashMap.newKeySet();

	private final ConcurrentMap<String, SlackThread> lastRead = new ConcurrentHashMap<>();

	private final Sinks.Many<CycleEnded> ended = Sinks.many().unicast().onBackpressureBuffer();

	private final Disposable beats;

	private volatile long lastStoreFailure;

	/**
	 * Create a fleet's tracker and start its heartbeats.
	 * @param store the store the replicas share
	 * @param tracked whether a circuit breaker's threads are still kept
	 * @param instance this replica's instance id
	 * @param heartbeat how often this replica renews its memberships; a member silent for three is gone
	 * @param claimTtl how long a claim holds unless its replica renews it, as it does while it still tries to post
	 * @param scheduler where heartbeats, claim renewals and waits run, and whose clock times this replica's own
	 * health
	 */
	public FleetThreadTracker(ThreadStore store, Predicate<String> tracked, String instance, Duration heartbeat,
			Duration claimTtl, Scheduler scheduler) {
		this(store, tracked, (name) -> false, instance, heartbeat, claimTtl, scheduler);
	}

	/**
	 * Create a fleet's tracker and start its heartbeats.
	 * @param store the store the replicas share
	 * @param tracked whether a circuit breaker's threads are still kept
	 * @param pending whether some of a breaker's transitions are still on their way in the listener (queued, in
	 * flight or held by a storm digest): the heartbeat makes the store agree with a breaker only when none is
	 * @param instance this replica's instance id
	 * @param heartbeat how often this replica renews its memberships; a member silent for three is gone
	 * @param claimTtl how long a claim holds unless its replica renews it, as it does while it still tries to post
	 * @param scheduler where heartbeats, claim renewals and waits run, and whose clock times this replica's own
	 * health
	 */
	public FleetThreadTracker(ThreadStore store, Predicate<String> tracked, Predicate<String> pending,
			String instance, Duration heartbeat, Duration claimTtl, Scheduler scheduler) {
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.tracked = Objects.requireNonNull(tracked, "tracked must not be null");
		this.pending = Objects.requireNonNull(pending, "pending must not be null");
		this.instance = Objects.requireNonNull(instance, "instance must not be null");
		this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat must not be null");
		this.silence = heartbeat.multipliedBy(3);
		this.claimTtl = Objects.requireNonNull(claimTtl, "claimTtl must not be null");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
		this.lastStoreFailure = millis();
		this.beats = Flux.interval(heartbeat, heartbeat, scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> Mono.defer(this::beat).onErrorResume((ex) -> {
				logger.warn("A heartbeat failed; the next one tries again", ex);
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	/**
	 * Return this replica's instance id.
	 * @return the instance id
	 */
	@Override
	public String instance() {
		return this.instance;
	}

	@Override
	public ThreadStore store() {
		return this.store;
	}

	@Override
	public Mono<SlackThread> open(String circuitBreaker) {
		return this.store.find(circuitBreaker);
	}

	@Override
	public Flux<CycleEnded> endedCycles() {
		return this.ended.asFlux();
	}

	@Override
	public Mono<Plan> plan(TransitionSnapshot snapshot, Supplier<String> channel) {
		String name = snapshot.circuitBreaker();
		State to = snapshot.transition().to();
		this.planning.add(name);
		if (!ThreadRules.endsCycle(to)) {
			this.toldFailing.put(name, to);
		}
		return attempt(snapshot, channel, 0, FIRST_POLL, null).doOnError((ex) -> this.planning.remove(name));
	}

	/**
	 * Read the breaker's thread, asking twice before going on without the store, and decide; while another
	 * replica's claim holds, join it (a failing replica) and ask again after a wait that doubles up to five seconds or
	 * a heartbeat, whichever is shorter, so that a root queued behind a long backlog costs few reads and this replica
	 * stays a live member of the claim.
	 */
	private Mono<Plan> attempt(TransitionSnapshot snapshot, Supplier<String> channel, int conflicts, Duration poll,
			SlackThread known) {
		Mono<Lookup> lookup = this.store.lookup(snapshot.circuitBreaker());
		return answer(lookup.onErrorResume((ex) -> {
			this.lastStoreFailure = millis();
			return lookup;
		})).flatMap((found) -> found
			.map((answer) -> {
				remember(snapshot.circuitBreaker(), answer.thread());
				return decide(snapshot, channel, answer, conflicts, poll);
			})
			.orElseGet(() -> degraded(snapshot, (known != null || ThreadRules.trips(snapshot.transition())) ? known
					: this.lastRead.get(snapshot.circuitBreaker()))));
	}

	private Mono<Plan> decide(TransitionSnapshot snapshot, Supplier<String> channel, Lookup lookup, int conflicts,
			Duration poll) {
		String name = snapshot.circuitBreaker();
		State to = snapshot.transition().to();
		SlackThread thread = lookup.thread();
		Instant now = lookup.now();
		if (thread == null) {
			if (to != State.OPEN) {
				return Mono.just(Plan.of(to, null));
			}
			SlackThread claim = SlackThread.claimed(snapshot, channel.get(), this.instance, now.plus(this.claimTtl));
			return write(this.store.create(claim), snapshot, channel, conflicts, null, () -> {
				this.claiming.put(name, claim);
				return new Plan(ThreadRules.next(to, null), null, claim, Map.of(this.instance, to));
			});
		}
		if (thread.isClaim()) {
			boolean mine = this.instance.equals(thread.fleet().claimedBy());
			if ((judging() && thread.fleet().claimUntil().isBefore(now)) || (mine && !this.claiming.containsKey(name))) {
				logger.debug("The claim of circuit breaker '{}' by {} lapsed; it is taken over", name,
						thread.fleet().claimedBy());
				return answer(this.store.remove(thread))
					.then(Mono.defer(() -> attempt(snapshot, channel, conflicts + 1, FIRST_POLL, null)));
			}
			Duration next = Collections.min(List.of(poll.multipliedBy(2), LONGEST_POLL, this.heartbeat));
			// a failing replica is in the claim while its root is posted, stamped again at each poll (at least once a
			// heartbeat), so that the poster keeps it a live member and no recovery is told as the cycle's end while
			// this replica waits; a state that ends a cycle joins nothing
			Mono<Optional<Boolean>> join = (mine || ThreadRules.endsCycle(to)) ? Mono.just(Optional.of(true))
					: joinClaim(thread, to);
			return join.then(Mono.delay(poll, this.scheduler))
				.then(Mono.defer(() -> attempt(snapshot, channel, conflicts, next, null)));
		}
		boolean member = thread.fleet().members().containsKey(this.instance);
		if (!member && judging() && thread.fleet().live(now, this.silence).isEmpty()) {
			return answer(this.store.remove(thread)).flatMap((removed) -> {
				if (removed.orElse(false)) {
					abandoned(thread);
				}
				return attempt(snapshot, channel, conflicts + 1, FIRST_POLL, null);
			});
		}
		if (ThreadRules.endsCycle(to)) {
			Fleet left = thread.fleet().without(this.instance);
			Map<String, Fleet.Member> others = stillIn(left, now);
			if (!others.isEmpty()) {
				SlackThread next = thread.followedBy(snapshot).withFleet(left);
				return write(this.store.replace(thread, next), snapshot, channel, conflicts, thread, () -> {
					this.joined.remove(name);
					this.lastRead.remove(name);
					return new Plan(new ThreadRules.Step(thread.threadTs(), false, false, false), thread, next,
							states(others));
				});
			}
			return write(this.store.remove(thread), snapshot, channel, conflicts, thread, () -> {
				this.joined.remove(name);
				this.lastRead.remove(name);
				return new Plan(ThreadRules.next(to, thread), thread, null, Map.of());
			});
		}
		if (!member && !this.tracked.test(name)) {
			// the breaker left this replica's registry while its message waited: told in the thread, no member
			return Mono.just(new Plan(ThreadRules.next(to, thread), thread, thread, states(stillIn(thread.fleet(), now))));
		}
		Fleet moved = thread.fleet().with(this.instance, to);
		SlackThread next = thread.followedBy(snapshot).withFleet(moved);
		return write(this.store.replace(thread, next), snapshot, channel, conflicts, thread, () -> {
			joined(name);
			remember(name, next);
			return new Plan(ThreadRules.next(to, thread), thread, next, states(stillIn(moved, now)));
		});
	}

	/**
	 * Take a decision's write: on success the plan, on a conflict a new attempt, and when the store cannot answer
	 * the plan one process would make on what is known.
	 */
	private Mono<Plan> write(Mono<Boolean> change, TransitionSnapshot snapshot, Supplier<String> channel, int conflicts,
			SlackThread known, Supplier<Plan> plan) {
		return answer(change).flatMap((done) -> {
			if (done.isEmpty()) {
				return degraded(snapshot, known);
			}
			if (done.get()) {
				return Mono.just(plan.get());
			}
			if (conflicts >= MAX_CONFLICTS) {
				logger.warn("The shared thread of circuit breaker '{}' changed under each of {} attempts; its message "
						+ "is posted by what this replica knows", snapshot.circuitBreaker(), MAX_CONFLICTS);
				return degraded(snapshot, known);
			}
			return attempt(snapshot, channel, conflicts + 1, FIRST_POLL, known);
		});
	}

	/**
	 * The plan of a message whose shared thread the store could not tell or change: the rules of one process on the
	 * thread last read, if any (for a trip, only one read for this very message: a trip never replies in the thread of
	 * an earlier cycle), so that the message is still told; a recovery is a plain reply there, for others may still
	 * be failing. The store is made to agree later by the heartbeat, which leaves the cycle and, as its last
	 * member, ends it saying so.
	 */
	private Mono<Plan> degraded(TransitionSnapshot snapshot, SlackThread known) {
		logger.debug("Planning {} of '{}' without the shared store", snapshot.transition(), snapshot.circuitBreaker());
		if (known != null && ThreadRules.endsCycle(snapshot.transition().to())) {
			// a plain reply: who else still fails is not known without the store, so nobody is named
			Fleet left = known.fleet().without(this.instance);
			return Mono.just(new Plan(new ThreadRules.Step(known.threadTs(), false, false, false), known,
					known.followedBy(snapshot).withFleet(left), Map.of()));
		}
		return Mono.just(Plan.of(snapshot.transition().to(), known));
	}

	/**
	 * Keep the shared thread last read of a breaker, so that a message planned while the store cannot answer still
	 * goes to the thread of its cycle; a claim or no thread keeps nothing.
	 */
	private void remember(String name, SlackThread thread) {
		if (thread != null && !thread.isClaim()) {
			this.lastRead.put(name, thread);
		}
		else {
			this.lastRead.remove(name);
		}
	}

	/**
	 * Who is still in a cycle: its live members once this replica can judge, and all of them before.
	 */
	private Map<String, Fleet.Member> stillIn(Fleet fleet, Instant now) {
		return judging() ? fleet.live(now, this.silence) : fleet.members();
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
				.subscribe();
			return posting.doFinally((signal) -> renewals.dispose());
		});
	}

	private Mono<Boolean> renewClaim(String circuitBreaker) {
		return answer(this.store.lookup(circuitBreaker).flatMap((lookup) -> {
			SlackThread claim = lookup.thread();
			if (claim == null || !claim.isClaim() || !this.instance.equals(claim.fleet().claimedBy())) {
				return Mono.just(false);
			}
			SlackThread renewed = claim.withFleet(
					new Fleet(claim.fleet().members(), this.instance, lookup.now().plus(this.claimTtl)));
			return this.store.replace(claim, renewed).doOnNext((done) -> {
				if (done) {
					this.claiming.computeIfPresent(circuitBreaker, (name, cached) -> renewed);
				}
			});
		})).map((done) -> done.orElse(false));
	}

	@Override
	public Mono<Boolean> delivered(TransitionSnapshot snapshot, Plan plan, String channel, String ts) {
		String name = snapshot.circuitBreaker();
		this.planning.remove(name);
		if (!plan.step().startsThread() || !this.tracked.test(name)) {
			return Mono.just(true);
		}
		SlackThread claim = this.claiming.remove(name);
		if (claim == null) {
			return started(SlackThread.started(snapshot, channel, ts)).thenReturn(true);
		}
		SlackThread posted = claim.posted(channel, ts, this.instance);
		remember(name, posted);
		return answer(this.store.replace(claim, posted)
			.flatMap((recorded) -> recorded ? Mono.just(true) : recordRoot(name, channel, ts, 1)))
			.map((recorded) -> {
				if (recorded.orElse(false)) {
					joined(name);
				}
				else {
					logger.warn("The claim of circuit breaker '{}' lapsed while its root was posted; another replica "
							+ "may have posted one too", name);
				}
				return true;
			});
	}

	/**
	 * Record the root of a claim that changed since it was made, as when it was renewed while the root was posted.
	 */
	private Mono<Boolean> recordRoot(String name, String channel, String ts, int attempt) {
		return this.store.find(name)
			.filter((thread) -> thread.isClaim() && this.instance.equals(thread.fleet().claimedBy()))
			.flatMap((claim) -> this.store.replace(claim, claim.posted(channel, ts, this.instance)))
			.flatMap((recorded) -> (recorded || attempt >= MAX_CONFLICTS) ? Mono.just(recorded)
					: recordRoot(name, channel, ts, attempt + 1))
			.defaultIfEmpty(false);
	}

	@Override
	public Mono<Void> undelivered(TransitionSnapshot snapshot, Plan plan) {
		String name = snapshot.circuitBreaker();
		this.planning.remove(name);
		if (plan.step().startsThread() && this.claiming.remove(name) != null) {
			return answer(this.store.find(name)
				.filter((thread) -> thread.isClaim() && this.instance.equals(thread.fleet().claimedBy()))
				.flatMap(this.store::remove)).then();
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> moved(TransitionSnapshot snapshot) {
		String name = snapshot.circuitBreaker();
		State to = snapshot.transition().to();
		return answer(this.store.lookup(name)).flatMap((answer) -> {
			SlackThread thread = answer.map(Lookup::thread).orElse(null);
			if (thread == null || thread.isClaim()) {
				return Mono.empty();
			}
			if (!ThreadRules.endsCycle(to)) {
				this.toldFailing.put(name, to);
				return answer(this.store.replace(thread,
						thread.movedTo(snapshot).withFleet(thread.fleet().with(this.instance, to))))
					.doOnNext((done) -> done.filter(Boolean::booleanValue).ifPresent((ok) -> joined(name)))
					.then();
			}
			Fleet left = thread.fleet().without(this.instance);
			boolean last = stillIn(left, answer.get().now()).isEmpty();
			Mono<Boolean> change = last ? this.store.remove(thread)
					: this.store.replace(thread, thread.movedTo(snapshot).withFleet(left));
			return answer(change).doOnNext((done) -> done.filter(Boolean::booleanValue).ifPresent((ok) -> {
				this.joined.remove(name);
				this.lastRead.remove(name);
				if (last && thread.root() != null) {
					emit(new CycleEnded(thread, this.instance, CycleEnded.Reason.LEFT));
				}
			})).then();
		});
	}

	@Override
	public Mono<Boolean> started(SlackThread thread) {
		if (!this.tracked.test(thread.circuitBreaker())) {
			return Mono.just(false);
		}
		if (!ThreadRules.endsCycle(thread.state())) {
			this.toldFailing.put(thread.circuitBreaker(), thread.state());
		}
		SlackThread shared = thread.withFleet(Fleet.NONE.with(this.instance, thread.state()));
		return answer(this.store.create(shared)).map((created) -> {
			if (created.orElse(false)) {
				joined(thread.circuitBreaker());
				return true;
			}
			return false;
		});
	}

	@Override
	public Mono<Boolean> digested(SlackThread thread) {
		if (!this.tracked.test(thread.circuitBreaker())) {
			return Mono.just(false);
		}
		return answer(this.store.create(thread.withFleet(Fleet.NONE))).map((created) -> created.orElse(false));
	}

	@Override
	public Mono<Void> end(SlackThread thread) {
		if (thread == null) {
			return Mono.empty();
		}
		this.joined.remove(thread.circuitBreaker());
		this.lastRead.remove(thread.circuitBreaker());
		return answer(this.store.remove(thread.circuitBreaker(), thread.threadTs())).then();
	}

	@Override
	public Mono<Boolean> forget(String circuitBreaker) {
		this.joined.remove(circuitBreaker);
		this.lastRead.remove(circuitBreaker);
		return this.store.find(circuitBreaker).flatMap(this.store::remove).defaultIfEmpty(false);
	}

	@Override
	public Mono<Void> released(String circuitBreaker) {
		this.breakers.remove(circuitBreaker);
		this.toldFailing.remove(circuitBreaker);
		this.planning.remove(circuitBreaker);
		this.lastRead.remove(circuitBreaker);
		return leave(circuitBreaker, CycleEnded.Reason.REMOVED);
	}

	@Override
	public void bound(String circuitBreaker, Supplier<State> state) {
		this.breakers.put(circuitBreaker, state);
		Mono.delay(this.heartbeat, this.scheduler)
			// a breaker with a message on its way (its plan waiting on another replica's claim, say) is in this
			// life's cycle, not an earlier one's
			.filter((tick) -> !this.beats.isDisposed() && !this.joined.containsKey(circuitBreaker)
					&& !this.inClaims.contains(circuitBreaker) && !this.planning.contains(circuitBreaker)
					&& !this.pending.test(circuitBreaker))
			.flatMap((tick) -> this.store.find(circuitBreaker))
			.filter((thread) -> !thread.isClaim() && thread.fleet().members().containsKey(this.instance))
			.flatMap((thread) -> {
				if (!ThreadRules.endsCycle(state.get())) {
					joined(circuitBreaker);
					return Mono.empty();
				}
				return leave(circuitBreaker, CycleEnded.Reason.RESTARTED);
			})
			.subscribe(null, (ex) -> logger.warn("Could not check whether circuit breaker '{}' was in a shared failure "
					+ "cycle before this replica started: {}", circuitBreaker, ex.toString()));
	}

	/**
	 * Leave a cycle without a message of this replica's: with others still in it, quietly; as its last member, by
	 * ending it with a reply that says why.
	 */
	private Mono<Void> leave(String name, CycleEnded.Reason reason) {
		return answer(this.store.lookup(name)).flatMap((answer) -> {
			SlackThread thread = answer.map(Lookup::thread).orElse(null);
			if (answer.isEmpty()) {
				return Mono.empty();
			}
			this.inClaims.remove(name);
			if (thread != null && thread.isClaim() && thread.fleet().members().containsKey(this.instance)) {
				// in another replica's claim: out of it, nothing to tell
				return answer(this.store.replace(thread, thread.withFleet(thread.fleet().without(this.instance)))).then();
			}
			if (thread == null || thread.isClaim() || !thread.fleet().members().containsKey(this.instance)) {
				this.joined.remove(name);
				return Mono.empty();
			}
			Fleet left = thread.fleet().without(this.instance);
			if (!stillIn(left, answer.get().now()).isEmpty()) {
				return answer(this.store.replace(thread, thread.withFleet(left)))
					.doOnNext((done) -> done.filter(Boolean::booleanValue).ifPresent((ok) -> this.joined.remove(name)))
					.then();
			}
			return answer(this.store.remove(thread)).doOnNext((done) -> done.filter(Boolean::booleanValue)
				.ifPresent((ok) -> {
					this.joined.remove(name);
					this.lastRead.remove(name);
					emit(new CycleEnded(thread, this.instance, reason));
				})).then();
		});
	}

	/**
	 * One heartbeat: make the store agree with each bound breaker, renew this replica's memberships, and end the
	 * abandoned cycles of the store's index. A breaker with nothing on its way is renewed at its actual state, joins
	 * its cycle's posted thread when it is failing and no member, and leaves the cycle once it is closed; one with
	 * messages still on their way is renewed at the last failing state it told. Never waits on Slack: ended cycles
	 * are handed on, not told here.
	 */
	private Mono<Void> beat() {
		Map<String, Long> beating = Map.copyOf(this.joined);
		Map<String, State> renewals = new TreeMap<>();
		Set<String> leaving = new TreeSet<>();
		Map<String, State> joining = new TreeMap<>();
		this.breakers.forEach((name, breaker) -> {
			boolean member = beating.containsKey(name);
			State actual = breaker.get();
			if (this.planning.contains(name) || this.pending.test(name)) {
				State told = this.toldFailing.getOrDefault(name, actual);
				if (member && !ThreadRules.endsCycle(told)) {
					renewals.put(name, told);
				}
				else if (!member && !this.planning.contains(name) && !ThreadRules.endsCycle(actual)) {
					// failing with its transitions held elsewhere (a storm digest): in the cycle, if there is one
					joining.put(name, actual);
				}
				return;
			}
			if (ThreadRules.endsCycle(actual)) {
				if (member || this.inClaims.contains(name)) {
					leaving.add(name);
				}
			}
			else if (member) {
				renewals.put(name, actual);
			}
			else {
				joining.put(name, actual);
			}
		});
		beating.keySet().stream().filter((name) -> !this.breakers.containsKey(name)).forEach((name) -> {
			State told = this.toldFailing.get(name);
			if (told != null) {
				renewals.put(name, told);
			}
		});
		return answer(this.store.beat(this.instance, renewals, this.silence)).flatMap((answer) -> {
			if (answer.isEmpty()) {
				return Mono.empty();
			}
			Beat beat = answer.get();
			beat.gone().forEach((name) -> this.joined.remove(name, beating.get(name)));
			Flux<String> abandoned = judging() ? Flux.fromIterable(beat.abandoned()) : Flux.empty();
			return Flux.fromIterable(leaving)
				.concatMap((name) -> leave(name, CycleEnded.Reason.LEFT))
				.thenMany(Flux.fromIterable(joining.entrySet()).concatMap((entry) -> rejoin(entry.getKey(),
						entry.getValue())))
				.thenMany(abandoned.concatMap(this::endIfAbandoned))
				.then();
		}).onErrorResume((ex) -> {
			logger.debug("A heartbeat failed; the next one tries again", ex);
			return Mono.empty();
		});
	}

	@Override
	public Mono<Void> failingElsewhere(String circuitBreaker, State state) {
		if (this.beats.isDisposed() || !this.tracked.test(circuitBreaker) || ThreadRules.endsCycle(state)) {
			return Mono.empty();
		}
		return rejoin(circuitBreaker, state).then(Mono.fromRunnable(() -> {
			if (this.joined.containsKey(circuitBreaker)) {
				// renewed at this state while the digest holds the breaker's transitions
				this.toldFailing.put(circuitBreaker, state);
			}
		})).onErrorResume((ex) -> Mono.empty()).then();
	}

	/**
	 * Join the cycle of a breaker that is failing while this replica is no member of it: its join was never recorded
	 * (a failed write, an answer lost), its trip was told in a storm digest or dropped. A member already is renewed
	 * from now on; a breaker with no posted thread has nothing to join.
	 */
	private Mono<Void> rejoin(String name, State state) {
		return answer(this.store.lookup(name)).flatMap((answer) -> {
			SlackThread thread = answer.map(Lookup::thread).orElse(null);
			if (thread != null && thread.isClaim() && !this.instance.equals(thread.fleet().claimedBy())) {
				// a root still being posted: in its claim, stamped again at each heartbeat until it is posted
				return joinClaim(thread, state).doOnNext((done) -> done.filter(Boolean::booleanValue)
					.ifPresent((ok) -> this.inClaims.add(name))).then();
			}
			if (thread == null || thread.isClaim() || thread.fleet().members().isEmpty()) {
				// no thread, this replica's own claim, or a storm digest's thread, which the digest ends
				return Mono.empty();
			}
			remember(name, thread);
			if (thread.fleet().members().containsKey(this.instance)) {
				joined(name);
				return Mono.empty();
			}
			return answer(this.store.replace(thread, thread.withFleet(thread.fleet().with(this.instance, state))))
				.doOnNext((done) -> done.filter(Boolean::booleanValue).ifPresent((ok) -> joined(name)))
				.then();
		});
	}

	/**
	 * Be a member of another replica's claim, stamped now, so that its poster keeps this replica a live member; a
	 * breaker that left the registry leaves the claim instead.
	 */
	private Mono<Optional<Boolean>> joinClaim(SlackThread claim, State state) {
		String name = claim.circuitBreaker();
		if (!this.tracked.test(name)) {
			return claim.fleet().members().containsKey(this.instance)
					? answer(this.store.replace(claim, claim.withFleet(claim.fleet().without(this.instance))))
					: Mono.just(Optional.of(true));
		}
		return answer(this.store.replace(claim, claim.withFleet(claim.fleet().joiningClaim(this.instance, state))));
	}

	private Mono<Void> endIfAbandoned(String name) {
		return answer(this.store.lookup(name)).flatMap((answer) -> {
			SlackThread thread = answer.map(Lookup::thread).orElse(null);
			if (thread == null || !judging()) {
				return Mono.empty();
			}
			Instant now = answer.get().now();
			if (thread.isClaim()) {
				boolean lapsed = thread.fleet().claimUntil().plus(this.silence).isBefore(now);
				return lapsed ? answer(this.store.remove(thread)).then() : Mono.empty();
			}
			if (!thread.fleet().live(now, this.silence).isEmpty() || this.joined.containsKey(name)) {
				return Mono.empty();
			}
			return answer(this.store.remove(thread)).doOnNext((removed) -> {
				if (removed.orElse(false)) {
					abandoned(thread);
				}
			}).then();
		});
	}

	private void abandoned(SlackThread thread) {
		logger.info("The shared failure cycle of circuit breaker '{}' was abandoned by its members; this replica ends it",
				thread.circuitBreaker());
		emit(new CycleEnded(thread, lastReported(thread), CycleEnded.Reason.STOPPED_REPORTING));
	}

	private synchronized void emit(CycleEnded cycle) {
		Sinks.EmitResult result = this.ended.tryEmitNext(cycle);
		if (result.isFailure()) {
			logger.warn("Could not hand on the end of the shared failure cycle of '{}': {}",
					cycle.thread().circuitBreaker(), result);
		}
	}

	/**
	 * A store request whose failure is an answer of its own: empty when the store could not answer, which this
	 * replica remembers, so that it does not judge others dead before its own requests succeed again for a silence.
	 */
	private <T> Mono<Optional<T>> answer(Mono<T> request) {
		return request.map(Optional::of).onErrorResume((ex) -> {
			this.lastStoreFailure = millis();
			logger.debug("The shared thread store did not answer: {}", ex.toString());
			return Mono.just(Optional.empty());
		});
	}

	private boolean judging() {
		return millis() - this.lastStoreFailure >= this.silence.toMillis();
	}

	private long millis() {
		return this.scheduler.now(TimeUnit.MILLISECONDS);
	}

	private void joined(String name) {
		this.joined.put(name, this.joins.incrementAndGet());
		this.inClaims.remove(name);
	}

	private static String lastReported(SlackThread thread) {
		return thread.fleet()
			.members()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().heartbeat() != null)
			.max(Map.Entry.comparingByValue((a, b) -> a.heartbeat().compareTo(b.heartbeat())))
			.map(Map.Entry::getKey)
			.orElse(null);
	}

	private static Map<String, State> states(Map<String, Fleet.Member> members) {
		Map<String, State> states = new TreeMap<>();
		members.forEach((instance, member) -> states.put(instance, member.state()));
		return states;
	}

	@Override
	public void close() {
		this.beats.dispose();
		this.ended.tryEmitComplete();
	}

}
