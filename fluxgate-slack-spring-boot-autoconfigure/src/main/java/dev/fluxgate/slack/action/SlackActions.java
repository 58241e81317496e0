package dev.fluxgate.slack.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.fluxgate.slack.action.ActionObserver.Outcome;
import dev.fluxgate.slack.client.ChatPostEphemeral;
import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.delivery.SlackPoster;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.SlackText;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.socket.Envelope;
import dev.fluxgate.slack.socket.EnvelopeHandler;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The actions people take from a thread's buttons: it checks each click (the workspace and app it came from, who
 * clicked, whether the button is still current), records the action for every replica, applies the actions every
 * replica records to this replica's breakers and marks, echoes each in its thread and redraws the root.
 */
public final class SlackActions implements EnvelopeHandler, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SlackActions.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int REMEMBERED_ENVELOPES = 1024;

	private final ActionSettings settings;

	private final Wiring wiring;

	private final ActionMessageRenderer renderer;

	private final Map<String, ThreadMarks> marks = new ConcurrentHashMap<>();

	private final Set<String> forcedHere = ConcurrentHashMap.newKeySet();

	private volatile Set<String> desiredForced = Set.of();

	private final AtomicLong changes = new AtomicLong();

	private final Map<String, Long> marksChangedAt = new ConcurrentHashMap<>();

	private final Map<String, Long> forcedChangedAt = new ConcurrentHashMap<>();

	private final Map<String, String> forcedBy = new ConcurrentHashMap<>();

	private final Set<String> appliedEnvelopes = Collections
		.newSetFromMap(new LinkedHashMap<>(64, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > REMEMBERED_ENVELOPES;
			}
		});

	private final Disposable.Composite background = Disposables.composite();

	private volatile String appId;

	/**
	 * Create the actions of a listener.
	 * @param settings who may act, and where the actions are kept
	 * @param wiring the parts of the listener the actions use
	 */
	public SlackActions(ActionSettings settings, Wiring wiring) {
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.wiring = Objects.requireNonNull(wiring, "wiring must not be null");
		this.renderer = new ActionMessageRenderer(wiring.renderer(), this::marks, settings.mention(), wiring.clock());
	}

	/**
	 * Start applying the actions every replica records, and reconciling with the store now and then.
	 * @return this
	 */
	public SlackActions start() {
		this.background.add(this.settings.store()
			.events()
			.publishOn(this.wiring.scheduler())
			.concatMap((signal) -> ((signal.event() != null) ? Mono.fromRunnable(() -> apply(signal.event()))
					: reconcile()).onErrorResume((ex) -> {
						logger.warn("Could not apply an action from Slack", ex);
						return Mono.empty();
					}))
			.subscribe(null, (ex) -> logger.error("Stopped applying the actions from Slack", ex)));
		this.background.add(Flux.interval(Duration.ZERO, this.settings.reconcileInterval(), this.wiring.scheduler())
			.onBackpressureDrop()
			.concatMap((tick) -> reconcile().onErrorResume((ex) -> {
				logger.warn("Could not reconcile with the actions from Slack: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe());
		return this;
	}

	/**
	 * Return the renderer that draws the buttons around the listener's own.
	 * @return the renderer
	 */
	public MessageRenderer renderer() {
		return this.renderer;
	}

	/**
	 * Return a thread's marks.
	 * @param threadTs the {@code ts} of its root
	 * @return its marks, {@link ThreadMarks#NONE} when it has none
	 */
	public ThreadMarks marks(String threadTs) {
		return (threadTs != null) ? this.marks.getOrDefault(threadTs, ThreadMarks.NONE) : ThreadMarks.NONE;
	}

	/**
	 * Whether a thread's replies are held back now.
	 * @param thread the thread
	 * @return whether it is silenced
	 */
	public boolean silenced(SlackThread thread) {
		return marks(thread.threadTs()).isSilencedAt(this.wiring.clock().instant());
	}

	/**
	 * Tell the actions that a Socket Mode connection said hello: envelopes of this app are the only ones acted on,
	 * and a replica reconciles after each reconnect.
	 * @param appId the app's ID, from the {@code hello}'s {@code connection_info}
	 */
	public void connected(String appId) {
		this.appId = appId;
		reconcile().subscribe(null, (ex) -> logger.warn("Could not reconcile with the actions from Slack: {}",
				ex.toString()));
	}

	/**
	 * Enforce on a breaker that was just bound what the fleet desires of it, such as being forced open.
	 * @param circuitBreaker the circuit breaker
	 */
	public void bound(CircuitBreaker circuitBreaker) {
		if (this.desiredForced.contains(circuitBreaker.getName())) {
			this.wiring.scheduler().schedule(() -> enforce(circuitBreaker));
		}
	}

	@Override
	public Mono<Void> handle(Envelope envelope) {
		if (!"interactive".equals(envelope.type())) {
			logger.debug("Ignored a Socket Mode envelope of type {}", envelope.type());
			return Mono.empty();
		}
		BlockActions payload;
		try {
			payload = JSON.treeToValue(envelope.payload(), BlockActions.class);
		}
		catch (RuntimeException ex) {
			logger.warn("Ignored a malformed interactive envelope {}: {}", envelope.envelopeId(),
					SlackText.truncate(String.valueOf(ex.getMessage()), 200));
			return Mono.empty();
		}
		if (payload == null || !"block_actions".equals(payload.type())) {
			logger.debug("Ignored an interaction that is not a click on a block");
			return Mono.empty();
		}
		return Flux.fromIterable(payload.actions())
			.concatMap((clicked) -> click(envelope.envelopeId(), payload, clicked))
			.then();
	}

	private Mono<Void> click(String envelopeId, BlockActions payload, BlockActions.Action clicked) {
		Optional<BreakerAction> known = BreakerAction.ofActionId(clicked.actionId());
		if (known.isEmpty()) {
			logger.info("Ignored a click on action_id '{}', which is not one of fluxgate's",
					SlackText.truncate(String.valueOf(clicked.actionId()), 100));
			return Mono.empty();
		}
		BreakerAction action = known.get();
		return this.wiring.teamId().get().defaultIfEmpty("").flatMap((team) -> {
			String foreign = foreign(payload, team);
			if (foreign != null) {
				return refuse(action, Outcome.DENIED, payload,
						"This button belongs to another Slack workspace or app; it does not act here.", foreign);
			}
			return this.settings.authorizer()
				.mayAct(payload.userId())
				.onErrorResume((ex) -> {
					logger.warn("Could not tell whether {} may act: {}", payload.userId(), ex.toString());
					return Mono.just(false);
				})
				.flatMap((may) -> may ? inThread(envelopeId, payload, clicked, action)
						: refuse(action, Outcome.DENIED, payload,
								"You may not act on circuit breakers from Slack. Ask for your user ID, "
										+ payload.userId() + ", to be added to fluxgate.slack.actions.allowed-users, "
										+ "or your user group to fluxgate.slack.actions.allowed-groups.",
								"not in allowed-users or allowed-groups"));
		}).onErrorResume((ex) -> {
			logger.warn("Could not apply {} from Slack for {}: {}", action, payload.userId(), ex.toString());
			return refuse(action, Outcome.FAILED, payload,
					"Could not apply " + action.label() + ": " + reason(ex) + ". Nothing changed; try again in a moment.",
					"failed");
		});
	}

	private static String reason(Throwable failure) {
		if (failure instanceof TimeoutException) {
			return "the fleet's store did not answer in time";
		}
		if (failure instanceof SlackApiException slack) {
			return "Slack answered " + slack.getError();
		}
		return "an error occurred (" + failure.getClass().getSimpleName() + ")";
	}

	private String foreign(BlockActions payload, String team) {
		String clickedIn = (payload.team() != null) ? payload.team().id() : null;
		if (team.isEmpty() || !team.equals(clickedIn)) {
			return "team " + clickedIn + " is not this app's workspace";
		}
		String app = this.appId;
		if (app == null || !app.equals(payload.apiAppId())) {
			return "app " + payload.apiAppId() + " is not this app";
		}
		return null;
	}

	// The envelope is claimed before the thread is looked at: a second delivery of a click, to this replica or to
	// another, is neither applied nor refused as stale once the first has changed the thread; and where the store
	// cannot be reached, the click fails rather than being refused as stale by a thread store that falls back to none.
	private Mono<Void> inThread(String envelopeId, BlockActions payload, BlockActions.Action clicked,
			BreakerAction action) {
		return this.settings.store().claim(envelopeId).flatMap((first) -> {
			if (!first) {
				logger.debug("Ignored envelope {}: another delivery of it was handled", envelopeId);
				return Mono.empty();
			}
			return claimed(envelopeId, payload, clicked, action);
		});
	}

	private Mono<Void> claimed(String envelopeId, BlockActions payload, BlockActions.Action clicked,
			BreakerAction action) {
		String channel = payload.channelId();
		String ts = payload.messageTs();
		return this.wiring.threads()
			.findAll()
			.filter((thread) -> ts != null && ts.equals(thread.threadTs()) && Objects.equals(channel, thread.channel()))
			.next()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((found) -> {
				if (found.isEmpty()) {
					return refuse(action, Outcome.STALE, payload,
							"This failure cycle has ended: its buttons no longer act.", "the cycle ended");
				}
				SlackThread thread = found.get();
				if (!ActionButtons.value(thread.state(), thread.stateSince()).equals(clicked.value())
						|| !offered(action, thread)) {
					return redraw(thread).then(refuse(action, Outcome.STALE, payload,
							"The breaker changed since these buttons were drawn; they show it as it is now.",
							"the button is stale"));
				}
				return apply(envelopeId, action, thread, payload.userId());
			});
	}

	private boolean offered(BreakerAction action, SlackThread thread) {
		ThreadMarks current = marks(thread.threadTs());
		boolean silenced = current.isSilencedAt(this.wiring.clock().instant());
		return switch (action) {
			case ACKNOWLEDGE -> current.acknowledgedBy() == null;
			case UNACKNOWLEDGE -> current.acknowledgedBy() != null;
			case SILENCE_30_MINUTES, SILENCE_2_HOURS, SILENCE_UNTIL_RECOVERED -> !silenced;
			case UNSILENCE -> silenced;
			case FORCE_OPEN -> thread.state() != State.FORCED_OPEN;
			case CLOSE -> thread.state() == State.FORCED_OPEN;
			case RESET -> thread.state() == State.OPEN || thread.state() == State.HALF_OPEN;
		};
	}

	private Mono<Void> apply(String envelopeId, BreakerAction action, SlackThread thread, String user) {
		Instant now = this.wiring.clock().instant();
		ActionEvent event = new ActionEvent(envelopeId, action, thread.circuitBreaker(), thread.channel(),
				thread.threadTs(), user, silencedUntil(action, now), this.wiring.instance(), now);
		return this.settings.store()
			.record(event)
			.then(Mono.fromRunnable(() -> apply(event)).subscribeOn(this.wiring.scheduler()))
			.then(echo(event))
			.then(action.transitionsBreaker() ? Mono.empty() : redraw(thread))
			.doOnSuccess((done) -> {
				this.settings.observer().clicked(action, Outcome.APPLIED);
				logger.info("{} applied {} to circuit breaker '{}' from Slack", user, action,
						thread.circuitBreaker());
			});
	}

	private static Instant silencedUntil(BreakerAction action, Instant now) {
		return switch (action) {
			case SILENCE_30_MINUTES -> now.plus(Duration.ofMinutes(30));
			case SILENCE_2_HOURS -> now.plus(Duration.ofHours(2));
			case SILENCE_UNTIL_RECOVERED -> ThreadMarks.UNTIL_RECOVERED;
			default -> null;
		};
	}

	/**
	 * Apply an action to this replica: its marks, or its breakers of that name. Each envelope is applied once, whether
	 * it arrives from the click or from the store.
	 * @param event the action
	 */
	void apply(ActionEvent event) {
		synchronized (this.appliedEnvelopes) {
			if (!this.appliedEnvelopes.add(event.envelopeId())) {
				return;
			}
		}
		String name = event.circuitBreaker();
		switch (event.action()) {
			case FORCE_OPEN -> {
				this.forcedChangedAt.put(name, this.changes.incrementAndGet());
				this.forcedBy.put(name, event.envelopeId());
				desire(name, true);
				this.wiring.breakers().apply(name).forEach(this::enforce);
			}
			case CLOSE, RESET -> {
				this.forcedChangedAt.put(name, this.changes.incrementAndGet());
				this.forcedBy.remove(name);
				desire(name, false);
				this.forcedHere.remove(name);
				for (CircuitBreaker circuitBreaker : this.wiring.breakers().apply(name)) {
					if (event.action() == BreakerAction.RESET) {
						circuitBreaker.reset();
					}
					else if (circuitBreaker.getState() != State.CLOSED) {
						circuitBreaker.transitionToClosedState();
					}
				}
			}
			default -> {
				if (event.threadTs() != null) {
					this.marksChangedAt.put(event.threadTs(), this.changes.incrementAndGet());
					this.marks.compute(event.threadTs(),
							(ts, before) -> event.applyTo((before != null) ? before : ThreadMarks.NONE));
				}
			}
		}
	}

	private void desire(String name, boolean forced) {
		synchronized (this.forcedChangedAt) {
			Set<String> next = new HashSet<>(this.desiredForced);
			if (forced) {
				next.add(name);
			}
			else {
				next.remove(name);
			}
			this.desiredForced = Set.copyOf(next);
		}
	}

	/**
	 * Reconcile this replica with the store: the marks of each thread, the Force open actions it missed, and the Close
	 * or Reset it missed of a breaker it forced open. A Force open this replica already applied is not applied again,
	 * so that a breaker the application closed by its own means stays closed; the marks of the threads still open are
	 * kept first, so that they last as long as their cycle.
	 * @return completes once reconciled
	 */
	public Mono<Void> reconcile() {
		return keepOpenThreadsMarks().then(Mono.defer(() -> {
			long read = this.changes.get();
			return this.settings.store()
				.snapshot()
				.publishOn(this.wiring.scheduler())
				.doOnNext((snapshot) -> reconcile(snapshot, read));
		})).then();
	}

	private Mono<Void> keepOpenThreadsMarks() {
		if (this.marks.isEmpty()) {
			return Mono.empty();
		}
		return this.wiring.threads()
			.findAll()
			.mapNotNull(SlackThread::threadTs)
			.filter(this.marks::containsKey)
			.collectList()
			.flatMap((open) -> this.settings.store().keep(open))
			.onErrorResume((ex) -> {
				logger.debug("Could not keep the marks of the open threads", ex);
				return Mono.empty();
			});
	}

	/**
	 * Take what the snapshot says of everything this replica did not change after the snapshot was asked for: an
	 * action applied here meanwhile is newer than the snapshot.
	 */
	private void reconcile(ActionStore.Snapshot snapshot, long read) {
		Set<String> threads = new HashSet<>(this.marks.keySet());
		threads.addAll(snapshot.marks().keySet());
		for (String ts : threads) {
			if (this.marksChangedAt.getOrDefault(ts, 0L) <= read) {
				ThreadMarks stored = snapshot.marks().get(ts);
				if (stored != null) {
					this.marks.put(ts, stored);
				}
				else {
					this.marks.remove(ts);
					this.marksChangedAt.remove(ts);
				}
			}
		}
		Set<String> desired = new HashSet<>(snapshot.forcedOpen().keySet());
		synchronized (this.forcedChangedAt) {
			this.forcedChangedAt.forEach((name, at) -> {
				if (at > read) {
					if (this.desiredForced.contains(name)) {
						desired.add(name);
					}
					else {
						desired.remove(name);
					}
				}
			});
			this.desiredForced = Set.copyOf(desired);
		}
		snapshot.forcedOpen().forEach((name, event) -> {
			boolean missed = !event.envelopeId().equals(this.forcedBy.get(name));
			if (missed && this.forcedChangedAt.getOrDefault(name, 0L) <= read) {
				apply(event);
			}
		});
		Set<String> missedClose = new HashSet<>(this.forcedHere);
		missedClose.removeAll(desired);
		missedClose.removeIf((name) -> this.forcedChangedAt.getOrDefault(name, 0L) > read);
		missedClose.forEach((name) -> this.wiring.breakers().apply(name).forEach(this::enforce));
	}

	private void enforce(CircuitBreaker circuitBreaker) {
		String name = circuitBreaker.getName();
		try {
			if (this.desiredForced.contains(name)) {
				this.forcedHere.add(name);
				if (circuitBreaker.getState() != State.FORCED_OPEN) {
					circuitBreaker.transitionToForcedOpenState();
				}
			}
			else if (this.forcedHere.remove(name) && circuitBreaker.getState() == State.FORCED_OPEN) {
				circuitBreaker.transitionToClosedState();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not bring circuit breaker '{}' to the state desired from Slack", name, ex);
		}
	}

	private Mono<Void> echo(ActionEvent event) {
		String where = this.settings.store().isShared() ? " on every instance" : " on 1 instance";
		String name = SlackText.escape(event.circuitBreaker());
		String who = "<@" + event.user() + ">";
		String text = switch (event.action()) {
			case ACKNOWLEDGE -> who + " acknowledged " + name;
			case UNACKNOWLEDGE -> who + " took back the acknowledgement of " + name;
			case SILENCE_30_MINUTES, SILENCE_2_HOURS, SILENCE_UNTIL_RECOVERED -> who + " silenced " + name + " "
					+ ActionButtons.until(event.silencedUntil());
			case UNSILENCE -> who + " unsilenced " + name;
			case FORCE_OPEN -> who + " forced " + name + " open" + where;
			case CLOSE -> who + " closed " + name + where;
			case RESET -> who + " reset " + name + where;
		};
		return this.wiring.poster()
			.paced(event.channel(), false,
					() -> new ChatPostMessage(event.channel(), text, null, event.threadTs(), null))
			.onErrorResume((ex) -> {
				logger.warn("Could not echo {} of '{}' in its thread: {}", event.action(), event.circuitBreaker(),
						ex.getMessage());
				return Mono.empty();
			})
			.then();
	}

	/**
	 * Redraw a thread's root as it is now: read again, so that a click handled while the breaker moved on never puts
	 * back an older state, nor the buttons on a thread that has ended.
	 */
	private Mono<Void> redraw(SlackThread clicked) {
		return this.wiring.threads()
			.find(clicked.circuitBreaker())
			.filter((current) -> Objects.equals(current.threadTs(), clicked.threadTs()))
			.mapNotNull((current) -> this.renderer.redraw(current, this.wiring.templates().get()))
			.flatMap((update) -> this.wiring.poster().update(update))
			.then()
			.onErrorResume((ex) -> {
				logger.warn("Could not redraw the root of '{}': {}", clicked.circuitBreaker(), ex.getMessage());
				return Mono.empty();
			});
	}

	private Mono<Void> refuse(BreakerAction action, Outcome outcome, BlockActions payload, String text,
			String reason) {
		this.settings.observer().clicked(action, outcome);
		logger.info("Refused {} from Slack for {}: {}", action, payload.userId(), reason);
		String channel = payload.channelId();
		if (channel == null || payload.userId() == null) {
			return Mono.empty();
		}
		return this.wiring.poster()
			.client()
			.postEphemeral(new ChatPostEphemeral(channel, payload.userId(), text, payload.messageTs()))
			.onErrorResume((ex) -> {
				logger.warn("Could not tell {} why their click was refused: {}", payload.userId(), ex.getMessage());
				return Mono.empty();
			})
			.then();
	}

	/**
	 * Stop applying actions.
	 */
	@Override
	public void close() {
		this.background.dispose();
	}

	@Override
	public String toString() {
		return "SlackActions[store=" + this.settings.store() + ", authorizer=" + this.settings.authorizer() + "]";
	}

	/**
	 * The parts of a listener the actions use.
	 *
	 * @param poster posts the echoes and edits the roots in each channel's turn
	 * @param threads the listener's threads, where a click's breaker is found
	 * @param renderer the listener's own renderer, which the actions' renderer decorates
	 * @param templates the templates in effect
	 * @param breakers the bound circuit breakers of a name
	 * @param teamId this app's workspace, from {@code auth.test}
	 * @param clock the clock
	 * @param instance this replica's instance id
	 * @param scheduler where actions are applied, off the socket's and Redis's threads
	 */
	public record Wiring(SlackPoster poster, ThreadStore threads, MessageRenderer renderer,
			Supplier<Templates> templates, Function<String, List<CircuitBreaker>> breakers,
			Supplier<Mono<String>> teamId, Clock clock, String instance, Scheduler scheduler) {

		public Wiring {
			Objects.requireNonNull(poster, "poster must not be null");
			Objects.requireNonNull(threads, "threads must not be null");
			Objects.requireNonNull(renderer, "renderer must not be null");
			Objects.requireNonNull(templates, "templates must not be null");
			Objects.requireNonNull(breakers, "breakers must not be null");
			Objects.requireNonNull(teamId, "teamId must not be null");
			Objects.requireNonNull(clock, "clock must not be null");
			scheduler = (scheduler != null) ? scheduler : Schedulers.boundedElastic();
		}

	}

}
