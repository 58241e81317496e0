package dev.fluxgate.slack.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.client.SlackApiException;
import dev.fluxgate.slack.client.SlackErrors;
import dev.fluxgate.slack.client.SlackResponse;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.RootEdit;
import dev.fluxgate.slack.message.SlackMessage;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.resilience4j.ChannelRouter;
import dev.fluxgate.slack.thread.CycleEnded;
import dev.fluxgate.slack.thread.Fleet;
import dev.fluxgate.slack.thread.Plan;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadRules;
import dev.fluxgate.slack.thread.ThreadTracker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The delivery of one message by the thread rules: it reads the breaker's thread, posts in its channel's turn with
 * retries, falls back to plain text when Slack refuses the payload and to a new root when the thread is gone, records
 * the outcome through the {@link ThreadTracker}, and returns the root's edit still to be made.
 */
public final class MessageDelivery {

	private static final Logger logger = LoggerFactory.getLogger(MessageDelivery.class);

	private final SlackPoster poster;

	private final MessageRenderer renderer;

	private final ThreadTracker tracker;

	private final ChannelRouter channels;

	private final DeliveryObserver observer;

	private final Permalinks permalinks;

	private final boolean updateRoot;

	private final Silences silences;

	private final Predicate<String> busy;

	private final FailureLog failureLog = new FailureLog();

	/**
	 * Create the delivery of a listener's messages.
	 * @param poster sends to Slack in each channel's turn
	 * @param renderer turns transitions into messages
	 * @param tracker the one writer of thread state
	 * @param channels the channel of a circuit breaker's new threads; must always answer
	 * @param observer told what becomes of each message
	 * @param permalinks links to a thread's root
	 * @param updateRoot whether each message edits its thread's root
	 * @param silences which threads' replies are held back
	 */
	public MessageDelivery(SlackPoster poster, MessageRenderer renderer, ThreadTracker tracker,
			ChannelRouter channels, DeliveryObserver observer,
			Permalinks permalinks, boolean updateRoot, Silences silences) {
		this(poster, renderer, tracker, channels, observer, permalinks, updateRoot, silences, (channel) -> false);
	}

	/**
	 * Create the delivery of a listener's messages, which coalesces a fleet's echoes in a busy channel: with root
	 * edits on, a reply that tells the state another replica already told in the thread, or the recovery of a replica
	 * while others still fail, is not posted while the channel is rate-limited, paced by the fleet or in a storm; the
	 * root's edit says how many instances are in each state.
	 * @param poster sends to Slack in each channel's turn
	 * @param renderer turns transitions into messages
	 * @param tracker the one writer of thread state
	 * @param channels the channel of a circuit breaker's new threads; must always answer
	 * @param observer told what becomes of each message
	 * @param permalinks links to a thread's root
	 * @param updateRoot whether each message edits its thread's root
	 * @param silences which threads' replies are held back
	 * @param busy whether a channel is rate-limited or paced by the fleet
	 */
	public MessageDelivery(SlackPoster poster, MessageRenderer renderer, ThreadTracker tracker,
			ChannelRouter channels, DeliveryObserver observer,
			Permalinks permalinks, boolean updateRoot, Silences silences, Predicate<String> busy) {
		this.busy = Objects.requireNonNull(busy, "busy must not be null");
		this.poster = Objects.requireNonNull(poster, "poster must not be null");
		this.renderer = Objects.requireNonNull(renderer, "renderer must not be null");
		this.tracker = Objects.requireNonNull(tracker, "tracker must not be null");
		this.channels = Objects.requireNonNull(channels, "channels must not be null");
		this.observer = Objects.requireNonNull(observer, "observer must not be null");
		this.permalinks = Objects.requireNonNull(permalinks, "permalinks must not be null");
		this.updateRoot = updateRoot;
		this.silences = Objects.requireNonNull(silences, "silences must not be null");
	}

	/**
	 * Deliver consecutive transitions of one breaker as one message, and return the edit of its thread's root that is
	 * still to be made, so that a caller may wait for the message alone. The returned {@link Mono} never fails, and
	 * neither does the edit.
	 * @param batch the transitions, oldest first; all but the last are counted as coalesced
	 * @param templates the templates that word the message
	 * @param deadline how long delivery of the message may take in all, or {@code null} for no limit
	 * @return the root's edit, to subscribe to before the breaker's next message; empty when there is none
	 */
	public Mono<Mono<Void>> deliver(List<TransitionSnapshot> batch, Templates templates, Duration deadline) {
		return Mono.defer(() -> {
			TransitionSnapshot snapshot = batch.get(batch.size() - 1);
			batch.subList(0, batch.size() - 1).forEach(this.observer::coalesced);
			Instant start = this.poster.now();
			return this.tracker.plan(snapshot, () -> this.channels.channelFor(snapshot.circuitBreaker()))
				.flatMap((plan) -> Mono.defer(() -> deliverIn(batch, templates, plan, start, deadline))
					.onErrorResume((ex) -> this.tracker.undelivered(snapshot, plan)
						.onErrorResume((storeFailure) -> Mono.empty())
						.then(Mono.error(ex))));
		}).onErrorResume((ex) -> {
			TransitionSnapshot snapshot = batch.get(batch.size() - 1);
			logger.error("Could not deliver {} of circuit breaker '{}': a collaborator failed", snapshot.transition(),
					snapshot.circuitBreaker(), ex);
			this.observer.failed(snapshot, new SlackApiException("client_error", SlackApiException.Kind.PERMANENT,
					null, ex.toString(), ex));
			return Mono.just(Mono.empty());
		});
	}

	private Mono<Mono<Void>> deliverIn(List<TransitionSnapshot> batch, Templates templates, Plan plan, Instant start,
			Duration deadline) {
		TransitionSnapshot snapshot = batch.get(batch.size() - 1);
		ThreadRules.Step step = plan.step();
		SlackThread open = plan.open();
		Template template = templates.forTransition(snapshot.transition());
		String channel = (open != null) ? open.channel()
				: (plan.after() != null) ? plan.after().channel() : this.channels.channelFor(snapshot.circuitBreaker());
		Mono<String> permalink = (open != null && step.endsThread()
				&& snapshot.transition().to() == CircuitBreaker.State.CLOSED) ? this.permalinks.of(open)
						: Mono.just("");
		boolean silenced = open != null && step.isReply() && !step.endsThread() && this.silences.silenced(open);
		// only where the root's edit tells it instead
		boolean echo = !silenced && this.updateRoot
				&& (isEcho(plan, snapshot, this.tracker.instance()) || recoversWhileOthersFail(plan, snapshot))
				&& this.busy.test(channel);
		Mono<SlackResponse> call = (silenced || echo)
				? Mono.just(new SlackResponse(true, open.threadTs(), open.channel(), null, null))
				: this.tracker.whilePosting(snapshot, plan, permalink.flatMap((link) -> post(batch, templates,
						template, channel, plan, link.isEmpty() ? null : link, start, deadline)));
		if (deadline != null) {
			call = call.timeout(deadline, Mono.error(() -> new SlackApiException("deadline_exceeded",
					SlackApiException.Kind.TRANSIENT, null, "no answer within the deadline of " + deadline, null)));
		}
		return call.flatMap((answer) -> this.tracker
			.delivered(snapshot, plan, (answer.channel() != null) ? answer.channel() : channel, answer.ts())
			.map((current) -> {
				if (silenced) {
					logger.debug("Held back {} of '{}': its thread is silenced", snapshot.transition(),
							snapshot.circuitBreaker());
					this.observer.silenced(snapshot);
				}
				else if (echo) {
					logger.debug("Coalesced {} of '{}' into the thread's root: {}, and channel {} is busy",
							snapshot.transition(), snapshot.circuitBreaker(), plan.leavesOthersFailing()
									? "other replicas still fail" : "another replica told it", channel);
					this.observer.coalesced(snapshot);
				}
				else {
					delivered(snapshot, step, answer, start);
				}
				return (open != null && this.updateRoot && current) ? updateRoot(templates, plan, snapshot, template)
						: Mono.<Void>empty();
			})).onErrorResume((ex) -> this.tracker.undelivered(snapshot, plan).onErrorResume((storeFailure) -> {
				logger.warn("Could not record the undelivered message of '{}' in the thread store",
						snapshot.circuitBreaker(), storeFailure);
				return Mono.empty();
			}).then(Mono.fromSupplier(() -> {
				failed(snapshot, channel, ex);
				return Mono.<Void>empty();
			})));
	}

	/**
	 * Whether a message only echoes, in a fleet's thread, what the root's edit already shows: a reply that keeps the
	 * thread going, into a state another member of the cycle is in (this replica's own state was another: a transition
	 * changes it), or a trip of this replica that the cycle already counts (it joined while its trip waited its turn).
	 */
	private static boolean isEcho(Plan plan, TransitionSnapshot snapshot, String self) {
		SlackThread open = plan.open();
		CircuitBreaker.State to = snapshot.transition().to();
		if (open == null || !plan.step().isReply() || plan.step().endsThread()) {
			return false;
		}
		boolean anotherIsThere = open.fleet()
			.members()
			.entrySet()
			.stream()
			.anyMatch((member) -> !member.getKey().equals(self) && member.getValue().state() == to);
		boolean joinedAlready = snapshot.transition().from() == CircuitBreaker.State.CLOSED && plan.after() != null
				&& sameStates(open.fleet(), plan.after().fleet());
		return anotherIsThere || joinedAlready;
	}

	/**
	 * Whether a message is this replica's recovery while other replicas of the cycle still fail: the root's edit shows
	 * who still fails. A breaker disabled or only recording metrics is told: an operator did that.
	 */
	private static boolean recoversWhileOthersFail(Plan plan, TransitionSnapshot snapshot) {
		return plan.leavesOthersFailing() && snapshot.transition().to() == CircuitBreaker.State.CLOSED;
	}

	/**
	 * Whether a message leaves every member of a shared cycle in the state it had: for a trip, this replica was
	 * already in the cycle (it joined while its trip waited its turn), so its message tells the fleet nothing new.
	 */
	private static boolean sameStates(Fleet before, Fleet after) {
		return !before.members().isEmpty() && before.members().keySet().equals(after.members().keySet())
				&& before.members()
					.entrySet()
					.stream()
					.allMatch((entry) -> after.members().get(entry.getKey()).state() == entry.getValue().state());
	}

	private Mono<SlackResponse> post(List<TransitionSnapshot> batch, Templates templates, Template template,
			String channel, Plan plan,
			String permalink, Instant start, Duration deadline) {
		TransitionSnapshot snapshot = batch.get(batch.size() - 1);
		ThreadRules.Step step = plan.step();
		SlackThread open = plan.open();
		Map<String, CircuitBreaker.State> stillFailing = plan.leavesOthersFailing() ? plan.fleet() : Map.of();
		SlackMessage.OfTransition one = new SlackMessage.OfTransition(snapshot, template, channel, step, open,
				permalink, stillFailing, false);
		AtomicInteger attempts = new AtomicInteger();
		return Mono.defer(() -> this.poster.paced(channel, attempts.getAndIncrement() > 0,
				() -> this.renderer.render((batch.size() == 1) ? one
						: new SlackMessage.Coalesced(batch, template, templates.coalesced(), channel, step))))
			.retryWhen(this.poster.retry(snapshot.transition() + " of '" + snapshot.circuitBreaker() + "'",
					(ex) -> this.observer.retrying(snapshot, ex), start, deadline))
			.onErrorResume(SlackApiException.class, (ex) -> {
				if (SlackErrors.isPayloadRefused(ex.getError())) {
					logger.warn("Slack refused the message about '{}' ({}); posting it as plain text",
							snapshot.circuitBreaker(), ex.getError());
					return this.poster.paced(channel, false,
							() -> this.renderer.render(one.asPlainText()));
				}
				if (SlackErrors.isThreadGone(ex.getError()) && step.isReply()) {
					logger.warn("Slack refused a reply in the thread of '{}' ({}); starting a new thread",
							snapshot.circuitBreaker(), ex.getError());
					Plan root = new Plan(new ThreadRules.Step(null, false, true, step.endsThread()), null, null,
							Map.of());
					return this.tracker.end(open)
						.then(post(batch, templates, template, channel, root, null, start, deadline))
						.flatMap((answer) -> step.endsThread() ? Mono.just(answer) : this.tracker
							.started(SlackThread.started(snapshot,
									(answer.channel() != null) ? answer.channel() : channel, answer.ts()))
							.thenReturn(answer));
				}
				return Mono.error(ex);
			});
	}

	private Mono<Void> updateRoot(Templates templates, Plan plan, TransitionSnapshot snapshot, Template template) {
		SlackThread open = plan.open();
		if (open.root() == null) {
			return Mono.empty();
		}
		Template rootTemplate = templates.forTransition(open.root().transition());
		return edit(open, () -> this.renderer.render(new RootEdit.AfterTransition(open, rootTemplate, snapshot,
				template, plan.step().endsThread(), plan.fleet())));
	}

	private Mono<Void> edit(SlackThread thread, Supplier<ChatUpdate> update) {
		return Mono.defer(() -> this.poster.update(update.get()))
			.doOnError((ex) -> logger.warn("Could not update the root message of '{}' in Slack; the thread goes on: {}",
					thread.circuitBreaker(), ex.getMessage()))
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	/**
	 * Tell the end of a shared failure cycle that none of its replicas was left to end: a reply in its thread (sent to
	 * the channel too when its last instance recovered) and the root's edit. Never fails.
	 * @param ended the cycle
	 * @param templates the templates that word the reply and the root's edit
	 * @return completes once told
	 */
	public Mono<Void> ended(CycleEnded ended, Templates templates) {
		SlackThread thread = ended.thread();
		String reason = reason(ended);
		Template closed = templates
			.forTransition(Transition.of(CircuitBreaker.State.OPEN, CircuitBreaker.State.CLOSED));
		logger.info("The shared failure cycle of circuit breaker '{}' ended: {}", thread.circuitBreaker(), reason);
		Mono<Void> edit = (thread.root() != null)
				? edit(thread, () -> this.renderer.render(new RootEdit.CycleEnded(thread,
						templates.forTransition(thread.root().transition()), reason, closed.color())))
				: Mono.empty();
		String what = "the end of the shared failure cycle of '" + thread.circuitBreaker() + "'";
		AtomicInteger attempts = new AtomicInteger();
		Instant start = this.poster.now();
		return Mono.defer(() -> this.poster.paced(thread.channel(), attempts.getAndIncrement() > 0,
				() -> broadcastIfRecovered(ended,
						this.renderer.render(new SlackMessage.CycleEnded(thread, reason, closed.color())))))
			.retryWhen(this.poster.retry(what, (ex) -> { }, start, null))
			.then(edit)
			.onErrorResume((ex) -> {
				logger.warn("Could not tell in Slack that the shared failure cycle of '{}' ended: {}",
						thread.circuitBreaker(), ex.getMessage());
				return Mono.empty();
			});
	}

	/**
	 * The end of a cycle whose last instance recovered is the outage's recovery, sent to the channel too, like the
	 * recovery of a thread's last member.
	 */
	private static ChatPostMessage broadcastIfRecovered(CycleEnded ended, ChatPostMessage message) {
		if (ended.reason() != CycleEnded.Reason.LEFT || message.threadTs() == null) {
			return message;
		}
		return new ChatPostMessage(message.channel(), message.text(), message.attachments(), message.threadTs(), true);
	}

	private static String reason(CycleEnded ended) {
		String last = ended.lastInstance();
		return switch (ended.reason()) {
			case RESTARTED -> "its last instance, " + last + ", restarted with its circuit breaker closed";
			case LEFT -> "its last instance, " + last + ", recovered";
			case REMOVED -> "its last instance, " + last + ", no longer has the circuit breaker";
			case STOPPED_REPORTING -> (last != null) ? "its last instance, " + last + ", stopped reporting"
					: "its instances stopped reporting";
		};
	}

	private void delivered(TransitionSnapshot snapshot, ThreadRules.Step step, SlackResponse answer, Instant start) {
		this.failureLog.delivered();
		logger.debug("Posted {} of '{}' to Slack{}", snapshot.transition(), snapshot.circuitBreaker(),
				step.isReply() ? " in thread " + step.threadTs() : " as ts " + answer.ts());
		this.observer.delivered(snapshot, this.poster.since(start));
	}

	private void failed(TransitionSnapshot snapshot, String channel, Throwable failure) {
		SlackApiException ex = (failure instanceof SlackApiException slack) ? slack
				: new SlackApiException("client_error", SlackApiException.Kind.PERMANENT, null, failure.toString(),
						failure);
		this.failureLog.failed(snapshot, channel, ex);
		this.observer.failed(snapshot, ex);
	}

}
