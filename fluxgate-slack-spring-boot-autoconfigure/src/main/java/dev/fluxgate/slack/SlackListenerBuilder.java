package dev.fluxgate.slack;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import dev.fluxgate.slack.action.ActionSettings;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.delivery.RetryPolicy;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.resilience4j.ChannelRouter;
import dev.fluxgate.slack.thread.FleetThreadTracker;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import dev.fluxgate.slack.thread.InstanceId;
import dev.fluxgate.slack.thread.LocalThreadTracker;
import dev.fluxgate.slack.thread.ThreadStore;
import dev.fluxgate.slack.thread.ThreadTracker;
import dev.fluxgate.slack.time.MonotonicClock;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The settings both listeners share; {@link AbstractSlackListener.Builder} and the listeners' own builders extend it.
 *
 * @param <B> the builder's own type
 */
public abstract class SlackListenerBuilder<B extends SlackListenerBuilder<B>> {

	String channel;

	String token;

	String baseUrl = WebClientSlackClient.DEFAULT_BASE_URL;

	Duration timeout = WebClientSlackClient.DEFAULT_TIMEOUT;

	SlackClient client;

	Templates templates = Templates.defaults();

	ThreadStore threadStore = new InMemoryThreadStore();

	String instanceId;

	Duration heartbeat = Duration.ofSeconds(10);

	RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

	DeliveryObserver observer = DeliveryObserver.NONE;

	Predicate<String> circuitBreakerFilter = (name) -> true;

	MessageRenderer renderer;

	ChannelRouter channelRouter;

	boolean updateRoot = true;

	ChannelPacer pacer;

	Clock clock;

	Scheduler scheduler;

	ActionSettings actions;

	protected SlackListenerBuilder() {
	}

	/**
	 * Set how each channel's messages are paced, such as {@link ChannelPacer#slackDefault()}.
	 * @param pacer the pacer, or {@code null} (the default) to send as fast as Slack answers
	 * @return this builder
	 */
	public B pacer(ChannelPacer pacer) {
		this.pacer = pacer;
		return self();
	}

	/**
	 * Set the clock the listener times its messages on: deadlines, retries, the drop log's interval and the durations
	 * it reports. Give it a scheduler's clock to run the listener on virtual time.
	 * @param clock the clock, a monotonic one on the system's time by default
	 * @return this builder
	 */
	public B clock(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		return self();
	}

	/**
	 * Set where the listener waits and works: retries' back-off, storm digests' intervals, the async listener's lanes
	 * and a fleet's heartbeats. With Reactor's {@code VirtualTimeScheduler} (and its clock,
	 * see {@link #clock(Clock)}), a test drives all of the listener's time.
	 * A {@link #pacer(ChannelPacer) pacer} keeps the time it was created with.
	 * @param scheduler the scheduler, Reactor's parallel scheduler by default (the async listener's lanes run on a
	 * thread of their own)
	 * @return this builder
	 */
	public B scheduler(Scheduler scheduler) {
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
		return self();
	}

	/**
	 * Let people act on the breakers from their thread's buttons: acknowledge, silence, force open, close and reset.
	 * The clicks arrive over Socket Mode, handed to {@link AbstractSlackListener#getActions()}.
	 * @param actions who may act and where the actions are kept, or {@code null} (the default) for no buttons
	 * @return this builder
	 */
	public B actions(ActionSettings actions) {
		this.actions = actions;
		return self();
	}

	Clock clock() {
		if (this.clock == null) {
			this.clock = new MonotonicClock();
		}
		return this.clock;
	}

	Scheduler timer() {
		return (this.scheduler != null) ? this.scheduler : Schedulers.parallel();
	}

	SlackClient client() {
		return (this.client != null) ? this.client
				: WebClientSlackClient.builder().token(this.token).baseUrl(this.baseUrl).timeout(this.timeout).build();
	}

	/**
	 * Choose the thread rules by the store: the fleet's when the store is shared, one process's otherwise.
	 */
	ThreadTracker tracker(Predicate<String> tracked, Predicate<String> pending) {
		ThreadStore store = Objects.requireNonNull(this.threadStore, "threadStore must not be null");
		return store.isShared() ? new FleetThreadTracker(store, tracked, pending, instanceId(), this.heartbeat,
				this.timeout, timer()) : new LocalThreadTracker(store, tracked);
	}

	MessageRenderer renderer() {
		return (this.renderer != null) ? this.renderer
				: new DefaultMessageRenderer(null, this.threadStore.isShared() ? instanceId() : null);
	}

	String instanceId() {
		if (this.instanceId == null) {
			this.instanceId = InstanceId.generate();
		}
		return this.instanceId;
	}

	@SuppressWarnings("unchecked")
	private B self() {
		return (B) this;
	}

	/**
	 * Set the channel to post to.
	 * @param channel the channel ID, such as {@code C1234567890}
	 * @return this builder
	 */
	public B channel(String channel) {
		this.channel = channel;
		return self();
	}

	/**
	 * Set the bot token, used unless a {@link #client(SlackClient) client} is set.
	 * @param token the bot token, usually {@code xoxb-…}
	 * @return this builder
	 */
	public B token(String token) {
		this.token = token;
		return self();
	}

	/**
	 * Set the Web API's base URL, used unless a {@link #client(SlackClient) client} is set.
	 * @param baseUrl the base URL, {@code https://slack.com/api} by default
	 * @return this builder
	 */
	public B baseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
		return self();
	}

	/**
	 * Set how long one request may take, used unless a {@link #client(SlackClient) client} is set.
	 * @param timeout the timeout, 5 seconds by default
	 * @return this builder
	 */
	public B timeout(Duration timeout) {
		this.timeout = timeout;
		return self();
	}

	/**
	 * Set the Slack client, instead of one built from token, base URL and timeout.
	 * @param client the client
	 * @return this builder
	 */
	public B client(SlackClient client) {
		this.client = client;
		return self();
	}

	/**
	 * Set the message templates.
	 * @param templates the templates, {@link Templates#defaults()} by default
	 * @return this builder
	 */
	public B templates(Templates templates) {
		this.templates = templates;
		return self();
	}

	/**
	 * Set where the open threads are kept.
	 * @param threadStore the store, in memory by default
	 * @return this builder
	 */
	public B threadStore(ThreadStore threadStore) {
		this.threadStore = threadStore;
		return self();
	}

	/**
	 * Name this replica among those that share each failure cycle's thread in a
	 * {@link ThreadStore#isShared() shared} {@link #threadStore(ThreadStore) store}: the first replica to trip posts
	 * the root, the others reply in it, and the last one to recover sends the recovery. Each message then tells which
	 * replica sent it. Without a shared store this has no effect.
	 * @param instanceId this replica's name, unique among the running replicas, or {@code null} for one made up of
	 * the host name, the process id and a random part
	 * @param heartbeat how often this replica renews its membership of the cycles it is in; a replica silent for
	 * three heartbeats is gone
	 * @return this builder
	 */
	public B fleet(String instanceId, Duration heartbeat) {
		this.instanceId = instanceId;
		this.heartbeat = heartbeat;
		return self();
	}

	/**
	 * Set how transient failures are retried.
	 * @param retryPolicy the policy, {@link RetryPolicy#DEFAULT} by default
	 * @return this builder
	 */
	public B retryPolicy(RetryPolicy retryPolicy) {
		this.retryPolicy = retryPolicy;
		return self();
	}

	/**
	 * Set who is told what becomes of each message.
	 * @param observer the observer
	 * @return this builder
	 */
	public B observer(DeliveryObserver observer) {
		this.observer = observer;
		return self();
	}

	/**
	 * Set which circuit breakers, by name, are announced.
	 * @param circuitBreakerFilter the filter, all by default
	 * @return this builder
	 */
	public B circuitBreakerFilter(Predicate<String> circuitBreakerFilter) {
		this.circuitBreakerFilter = circuitBreakerFilter;
		return self();
	}

	/**
	 * Set what turns a transition into a message.
	 * @param renderer the renderer
	 * @return this builder
	 */
	public B renderer(MessageRenderer renderer) {
		this.renderer = Objects.requireNonNull(renderer, "renderer must not be null");
		return self();
	}

	/**
	 * Set the channel of each circuit breaker, to route some breakers to other channels than the default.
	 * @param channelRouter the channel ID by circuit breaker name, the default channel when it answers {@code null}
	 * or is not set
	 * @return this builder
	 */
	public B channelRouter(ChannelRouter channelRouter) {
		this.channelRouter = channelRouter;
		return self();
	}

	/**
	 * Set whether a thread's root is edited with {@code chat.update} to show the cycle's current status.
	 * @param updateRoot whether the root is kept up to date, {@code true} by default
	 * @return this builder
	 */
	public B updateRoot(boolean updateRoot) {
		this.updateRoot = updateRoot;
		return self();
	}

	/**
	 * Return the request timeout set so far.
	 * @return the timeout
	 */
	protected Duration timeout() {
		return this.timeout;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[channel=" + this.channel + ", baseUrl=" + this.baseUrl
				+ ", token=******]";
	}

}
