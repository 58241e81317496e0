package dev.fluxgate.slack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.fluxgate.slack.action.SlackActions;
import dev.fluxgate.slack.action.ThreadMarks;
import dev.fluxgate.slack.client.AuthTestResponse;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.delivery.IsolatingDeliveryObserver;
import dev.fluxgate.slack.delivery.MessageDelivery;
import dev.fluxgate.slack.delivery.Permalinks;
import dev.fluxgate.slack.delivery.Silences;
import dev.fluxgate.slack.delivery.SlackPoster;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.resilience4j.BoundCircuitBreakers;
import dev.fluxgate.slack.resilience4j.ChannelRouter;
import dev.fluxgate.slack.resilience4j.CircuitBreakerTarget;
import dev.fluxgate.slack.resilience4j.DefaultingChannelRouter;
import dev.fluxgate.slack.resilience4j.RegistryBinding;
import dev.fluxgate.slack.thread.InFlight;
import dev.fluxgate.slack.thread.ThreadStore;
import dev.fluxgate.slack.thread.ThreadTracker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What the sync and async Slack listeners share: binding to circuit breakers, templates, the thread rules and the
 * delivery of one message with retries.
 * <p>
 * To change the messages the fluxgate way, subclass a listener and override {@link #transitionTemplates()} and
 * {@link #fallbackTemplate()}, or pass {@link Templates} to the builder.
 */
public abstract class AbstractSlackListener implements SlackListenerInfo, CircuitBreakerTarget {

	private static final Logger logger = LoggerFactory.getLogger(AbstractSlackListener.class);

	private final String channel;

	private final Templates templates;

	private final ThreadTracker tracker;

	private final SlackPoster poster;

	private final Permalinks permalinks;

	private final MessageDelivery delivery;

	private final DeliveryObserver observer;

	private final MessageRenderer renderer;

	private final ChannelRouter channelRouter;

	private final BoundCircuitBreakers bound;

	private final SlackActions actions;

	private volatile Templates effectiveTemplates;

	private final InFlight inFlight = new InFlight();

	private final Object templatesLock = new Object();

	protected AbstractSlackListener(Builder<?> builder) {
		if (builder.channel == null || builder.channel.isBlank()) {
			throw new IllegalArgumentException("A Slack channel ID is required: set SLACK_CHANNEL_ID");
		}
		this.channel = builder.channel.trim();
		if (builder.actions != null && !builder.updateRoot) {
			throw new IllegalArgumentException("The buttons need the edits of the root: each edit redraws them and the "
					+ "last one takes them away. Leave updateRoot(true), or build the listener without actions");
		}
		SlackClient client = builder.client();
		this.templates = Objects.requireNonNull(builder.templates, "templates must not be null");
		this.bound = new BoundCircuitBreakers(
				Objects.requireNonNull(builder.circuitBreakerFilter, "circuitBreakerFilter must not be null"),
				this::announce);
		this.tracker = builder.tracker(this.bound::keepsThreadsOf, this.inFlight);
		this.observer = IsolatingDeliveryObserver
			.of(Objects.requireNonNull(builder.observer, "observer must not be null"));
		this.channelRouter = new DefaultingChannelRouter(builder.channelRouter, this.channel);
		this.poster = new SlackPoster(client, builder.pacer,
				Objects.requireNonNull(builder.retryPolicy, "retryPolicy must not be null"), this.observer,
				builder.clock(), builder.timer());
		this.permalinks = new Permalinks(client);
		this.actions = (builder.actions != null) ? new SlackActions(builder.actions,
				new SlackActions.Wiring(this.poster, this.tracker.store(), builder.renderer(), this::getTemplates,
						this.bound::named,
						() -> this.permalinks.authTest().mapNotNull(AuthTestResponse::teamId),
						builder.clock(), builder.instanceId(), null))
				: null;
		this.renderer = (this.actions != null) ? this.actions.renderer() : builder.renderer();
		this.delivery = new MessageDelivery(this.poster, this.renderer, this.tracker,
				this.channelRouter, this.observer, this.permalinks, builder.updateRoot,
				(this.actions != null) ? this.actions::silenced : Silences.NONE,
				this::isBusy);
		if (this.actions != null) {
			this.actions.start();
		}
		this.tracker.endedCycles()
			.flatMap((cycle) -> Mono.defer(() -> this.delivery.ended(cycle, getTemplates())).onErrorResume((ex) -> {
				logger.warn("Could not tell the end of the shared failure cycle of '{}'",
						cycle.thread().circuitBreaker(), ex);
				return Mono.empty();
			}))
			.subscribe();
	}

	/**
	 * Announce the transitions of a circuit breaker. Binding the same instance twice has no effect.
	 * @param circuitBreaker the circuit breaker
	 */
	@Override
	public void bindTo(CircuitBreaker circuitBreaker) {
		try {
			if (this.bound.bind(circuitBreaker)) {
				this.tracker.bound(circuitBreaker.getName(), circuitBreaker::getState);
				if (this.actions != null) {
					this.actions.bound(circuitBreaker);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not bind circuit breaker '{}' to Slack", circuitBreaker.getName(), ex);
		}
	}

	/**
	 * Announce the transitions of every circuit breaker of a registry, now and later: breakers added later are bound,
	 * replaced ones re-bound and removed ones released.
	 * @param registry the registry
	 */
	public void bindTo(CircuitBreakerRegistry registry) {
		new RegistryBinding(() -> this).bindAll(registry);
	}

	/**
	 * Stop announcing a circuit breaker and let go of its thread: forget it, or, in a fleet, leave its cycle to the
	 * other replicas. Resilience4j cannot unsubscribe, so its later events are ignored.
	 * @param circuitBreaker the circuit breaker
	 */
	@Override
	public void release(CircuitBreaker circuitBreaker) {
		try {
			if (this.bound.release(circuitBreaker)) {
				released(circuitBreaker.getName());
				this.tracker.released(circuitBreaker.getName())
					.subscribe(null, (ex) -> logger.warn("Could not let go of the thread of released circuit breaker "
							+ "'{}'", circuitBreaker.getName(), ex));
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release circuit breaker '{}' from Slack", circuitBreaker.getName(), ex);
		}
	}

	/**
	 * Return where the parts of a listener that hold messages register, so that a fleet's heartbeat reconciles a
	 * breaker's membership with its state only when none of its messages is still on its way.
	 * @return the registry
	 */
	protected final InFlight inFlight() {
		return this.inFlight;
	}

	/**
	 * Forget what a listener keeps of a circuit breaker that was released; override to prune more.
	 * @param circuitBreaker the circuit breaker's name
	 */
	protected void released(String circuitBreaker) {
	}

	/**
	 * Announce one state transition. Never throws.
	 * @param event the event
	 */
	public final void onStateTransition(CircuitBreakerOnStateTransitionEvent event) {
		announce(event, null);
	}

	private void announce(CircuitBreakerOnStateTransitionEvent event, CircuitBreaker circuitBreaker) {
		try {
			CircuitBreaker.StateTransition transition = event.getStateTransition();
			accept(new TransitionSnapshot(event.getCircuitBreakerName(),
					Transition.of(transition.getFromState(), transition.getToState()),
					event.getCreationTime().toInstant(),
					(circuitBreaker != null) ? TransitionSnapshot.Numbers.of(circuitBreaker) : null));
		}
		catch (Throwable ex) {
			logger.error("Could not announce {} of circuit breaker '{}' in Slack", event.getStateTransition(),
					event.getCircuitBreakerName(), ex);
		}
	}

	/**
	 * Announce a transition, on the thread that caused it.
	 * @param snapshot the transition
	 */
	protected abstract void accept(TransitionSnapshot snapshot);

	/**
	 * Return the template of each transition that has one of its own; override to change them. Called once, when
	 * the first message is told.
	 * @return the templates by transition
	 */
	protected Map<Transition, Template> transitionTemplates() {
		return this.templates.transitions();
	}

	/**
	 * Return the template of any other transition; override to change it. Called once, when the first
	 * message is told.
	 * @return the fallback template
	 */
	protected Template fallbackTemplate() {
		return this.templates.fallback();
	}

	/**
	 * Return the templates in effect, including a subclass's.
	 * @return the templates
	 */
	public final Templates getTemplates() {
		Templates effective = this.effectiveTemplates;
		if (effective == null) {
			synchronized (this.templatesLock) {
				effective = this.effectiveTemplates;
				if (effective == null) {
					effective = resolveTemplates();
					this.effectiveTemplates = effective;
				}
			}
		}
		return effective;
	}

	private Templates resolveTemplates() {
		try {
			return Templates.of(transitionTemplates(), fallbackTemplate())
				.withDigest(this.templates.digestOpened(), this.templates.digestRecovered())
				.withCoalesced(this.templates.coalesced());
		}
		catch (RuntimeException ex) {
			logger.error("{}.transitionTemplates() or fallbackTemplate() failed; the messages use the templates the "
					+ "listener was built with", getClass().getName(), ex);
			return this.templates;
		}
	}

	/**
	 * Return the channel ID messages are posted to.
	 * @return the channel ID
	 */
	@Override
	public String getChannel() {
		return this.channel;
	}

	/**
	 * Return where the open threads are kept.
	 * @return the thread store
	 */
	@Override
	public ThreadStore getThreadStore() {
		return this.tracker.store();
	}

	@Override
	public Mono<Boolean> forget(String circuitBreaker) {
		return this.tracker.forget(circuitBreaker);
	}

	/**
	 * Check the token with {@code auth.test}. A successful answer is kept for a day and gives the workspace URL of the
	 * permalinks in recovery messages, so that a startup check and the first recovery need one call between them.
	 * @return Slack's answer
	 */
	public Mono<AuthTestResponse> authTest() {
		return this.permalinks.authTest();
	}

	/**
	 * Return how many messages wait to be delivered.
	 * @return the number of pending messages
	 */
	@Override
	public int getPending() {
		return 0;
	}

	/**
	 * Deliver consecutive transitions of one breaker as one message, the root's edit included. Never fails.
	 */
	final Mono<Void> deliver(List<TransitionSnapshot> batch, Duration deadline) {
		return deliverMessage(batch, deadline).flatMap((rootEdit) -> rootEdit);
	}

	/**
	 * Deliver consecutive transitions of one breaker as one message, and return the root's edit still to be made, to
	 * subscribe to before the breaker's next message. Never fails, and neither does the edit.
	 */
	final Mono<Mono<Void>> deliverMessage(List<TransitionSnapshot> batch, Duration deadline) {
		return this.delivery.deliver(batch, getTemplates(), deadline);
	}

	final ThreadTracker tracker() {
		return this.tracker;
	}

	final DeliveryObserver observer() {
		return this.observer;
	}

	/**
	 * Return the channel a circuit breaker's new threads are posted to.
	 * @param circuitBreaker the circuit breaker's name
	 * @return the channel ID
	 */
	protected final String channelFor(String circuitBreaker) {
		return this.channelRouter.channelFor(circuitBreaker);
	}

	/**
	 * Whether a channel is busy, so that a fleet's echoes are coalesced there: Slack, or the fleet's shared pace, makes
	 * it wait.
	 * @param channel the channel
	 * @return whether the channel is busy
	 */
	protected boolean isBusy(String channel) {
		return pacer() != null && pacer().isLimited(channel);
	}

	final ChannelPacer pacer() {
		return this.poster.pacer();
	}

	final SlackPoster poster() {
		return this.poster;
	}

	final MessageRenderer renderer() {
		return this.renderer;
	}

	/**
	 * Stop what the listener does in the background, such as a fleet's heartbeats.
	 */
	public void close() {
		if (this.actions != null) {
			this.actions.close();
		}
		this.tracker.close();
	}

	/**
	 * Return the actions people take from the thread's buttons, to hand the Socket Mode envelopes to.
	 * @return the actions, or {@code null} when the listener draws no buttons
	 */
	public final SlackActions getActions() {
		return this.actions;
	}

	@Override
	public ThreadMarks getMarks(String threadTs) {
		return (this.actions != null) ? this.actions.marks(threadTs) : ThreadMarks.NONE;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[channel=" + this.channel + ", client=" + this.poster.client() + "]";
	}

	/**
	 * The settings both listeners share.
	 *
	 * @param <B> the builder's own type
	 */
	public abstract static class Builder<B extends Builder<B>> extends SlackListenerBuilder<B> {

		protected Builder() {
		}

	}

}
