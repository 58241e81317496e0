package dev.fluxgate.slack.action;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatPostMessage.Attachment;
import dev.fluxgate.slack.client.ChatPostMessage.Block;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.DigestRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.RootEdit;
import dev.fluxgate.slack.message.SlackMessage;
import dev.fluxgate.slack.message.SlackText;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.thread.SlackThread;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * A {@link MessageRenderer} that adds the buttons to a thread's root, redraws them with each edit of the root, and
 * mentions on-call in the re-trips of a cycle nobody acknowledged.
 */
public final class ActionMessageRenderer implements MessageRenderer {

	private final MessageRenderer delegate;

	private final Function<String, ThreadMarks> marks;

	private final String mention;

	private final Clock clock;

	/**
	 * Decorate a renderer.
	 * @param delegate renders the messages themselves
	 * @param marks the marks of a thread, by the {@code ts} of its root
	 * @param mention whom a re-trip nobody acknowledged mentions, such as {@code <!here>}, or {@code null}
	 * @param clock tells whether a silence still holds
	 */
	public ActionMessageRenderer(MessageRenderer delegate, Function<String, ThreadMarks> marks, String mention,
			Clock clock) {
		this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
		this.marks = Objects.requireNonNull(marks, "marks must not be null");
		this.mention = (mention != null && !mention.isBlank()) ? mention.trim() : null;
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	@Override
	public ChatPostMessage render(SlackMessage message) {
		ChatPostMessage rendered = this.delegate.render(message);
		if (!(message instanceof SlackMessage.OfTransition one) || rendered.attachments() == null) {
			return rendered;
		}
		TransitionSnapshot snapshot = one.snapshot();
		if (one.step().startsThread() && !one.step().endsThread()) {
			return withBlocks(rendered, ActionButtons.blocks(snapshot.circuitBreaker(), snapshot.transition().to(),
					snapshot.time(), ThreadMarks.NONE, this.clock.instant()));
		}
		if (this.mention != null && one.step().isReply() && snapshot.transition().to() == State.OPEN
				&& this.marks.apply(one.step().threadTs()).acknowledgedBy() == null) {
			return new ChatPostMessage(rendered.channel(),
					SlackText.truncate(this.mention + " " + rendered.text(), SlackText.TEXT_LIMIT),
					rendered.attachments(), rendered.threadTs(), rendered.replyBroadcast());
		}
		return rendered;
	}

	@Override
	public ChatUpdate render(RootEdit edit) {
		ChatUpdate rendered = this.delegate.render(edit);
		if (!(edit instanceof RootEdit.AfterTransition after) || after.ended() || rendered.attachments() == null) {
			return rendered;
		}
		TransitionSnapshot latest = after.latest();
		List<Block> buttons = ActionButtons.blocks(latest.circuitBreaker(), latest.transition().to(),
				after.thread().stateSinceAfter(latest), this.marks.apply(after.thread().threadTs()),
				this.clock.instant());
		return new ChatUpdate(rendered.channel(), rendered.ts(), rendered.text(),
				withBlocks(rendered.attachments(), buttons));
	}

	/**
	 * Render the root of an open thread again, as it reads now: after an action, or for a stale button.
	 * @param thread the thread
	 * @param templates the templates that worded it
	 * @return the {@code chat.update} body, or {@code null} for a thread without its root transition
	 */
	public ChatUpdate redraw(SlackThread thread, Templates templates) {
		TransitionSnapshot root = thread.root();
		if (root == null) {
			return null;
		}
		State now = thread.state();
		Transition latest = (now == root.transition().to()) ? root.transition()
				: Transition.of((now == State.OPEN) ? State.HALF_OPEN : State.OPEN, now);
		Template rootTemplate = templates.forTransition(root.transition());
		return render(new RootEdit.AfterTransition(thread, rootTemplate,
				new TransitionSnapshot(thread.circuitBreaker(), latest, thread.lastTransitionAt(), null),
				templates.forTransition(latest), false, thread.fleet()
					.members()
					.entrySet()
					.stream()
					.collect(Collectors.toMap(Map.Entry::getKey, (member) -> member.getValue().state()))));
	}

	@Override
	public DigestRenderer digests() {
		return this.delegate.digests();
	}

	private static ChatPostMessage withBlocks(ChatPostMessage message, List<Block> blocks) {
		return new ChatPostMessage(message.channel(), message.text(), withBlocks(message.attachments(), blocks),
				message.threadTs(), message.replyBroadcast());
	}

	private static List<Attachment> withBlocks(List<Attachment> attachments, List<Block> blocks) {
		List<Attachment> all = new ArrayList<>(attachments);
		Attachment last = all.remove(all.size() - 1);
		List<Block> lastBlocks = new ArrayList<>(last.blocks());
		lastBlocks.addAll(blocks);
		all.add(new Attachment(last.color(), lastBlocks));
		return all;
	}

	@Override
	public String toString() {
		return "ActionMessageRenderer[" + this.delegate + "]";
	}

}
