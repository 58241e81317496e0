package dev.fluxgate.slack.message;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.fluxgate.slack.client.ChatPostMessage.Attachment;
import dev.fluxgate.slack.client.ChatPostMessage.Block;
import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.thread.SlackThread;
import dev.fluxgate.slack.thread.ThreadRules;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * The default {@link MessageRenderer}: the Slack messages of the Python library fluxgate's Slack listener, its
 * reference payload, plus the breaker's numbers when it opens, the outage and a link to the root when it recovers, and the root's
 * current status.
 */
public class DefaultMessageRenderer implements MessageRenderer {

	private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private final String mention;

	private final String instance;

	private final DigestRenderer digests;

	/**
	 * Create a renderer that mentions nobody.
	 */
	public DefaultMessageRenderer() {
		this(null);
	}

	/**
	 * Create a renderer that adds a mention to root messages of breakers that open.
	 * @param mention such as {@code <!here>}, {@code <!subteam^S0123>} or {@code <@U0123>}, or {@code null}
	 */
	public DefaultMessageRenderer(String mention) {
		this(mention, null);
	}

	/**
	 * Create a renderer that adds a mention to root messages of breakers that open and, when the threads are shared
	 * by several replicas, tells in each message which one sent it.
	 * @param mention such as {@code <!here>}, {@code <!subteam^S0123>} or {@code <@U0123>}, or {@code null}
	 * @param instance this replica's name, added to each message as a field {@code Instance}, or {@code null}
	 */
	public DefaultMessageRenderer(String mention, String instance) {
		if (mention != null && !mention.isBlank() && !SlackText.isMention(mention.trim())) {
			throw new IllegalArgumentException("'" + mention + "' is not a Slack mention such as <!here>, "
					+ "<!subteam^S0123> or <@U0123>");
		}
		this.mention = (mention != null && !mention.isBlank()) ? mention.trim() : null;
		this.instance = (instance != null && !instance.isBlank()) ? instance.trim() : null;
		this.digests = new DigestRenderer(this.mention);
	}

	/**
	 * Return the renderer of storm digests, which mention whom this renderer's roots mention.
	 * @return the digest renderer
	 */
	@Override
	public DigestRenderer digests() {
		return this.digests;
	}

	@Override
	public ChatPostMessage render(SlackMessage message) {
		if (message instanceof SlackMessage.OfTransition one) {
			return one.plainText() ? renderPlain(one.snapshot(), one.template(), one.channel(), one.step())
					: render(one.snapshot(), one.template(), one.channel(), one.step(), one.open(),
							one.rootPermalink(), one.stillFailing());
		}
		if (message instanceof SlackMessage.Coalesced batch) {
			return renderCoalesced(batch.batch(), batch.template(), batch.coalesced(), batch.channel(), batch.step());
		}
		SlackMessage.CycleEnded ended = (SlackMessage.CycleEnded) message;
		return renderCycleEnded(ended.thread(), ended.reason(), ended.color());
	}

	@Override
	public ChatUpdate render(RootEdit edit) {
		if (edit instanceof RootEdit.AfterTransition after) {
			return renderRootUpdate(after.thread(), after.rootTemplate(), after.latest(), after.latestTemplate(),
					after.ended(), after.fleet());
		}
		RootEdit.CycleEnded ended = (RootEdit.CycleEnded) edit;
		return renderRootUpdate(ended.thread(), ended.rootTemplate(), "ended: " + ended.reason(), ended.color());
	}

	/**
	 * Render one message without thread context.
	 * @param snapshot the transition
	 * @param template its template
	 * @param channel the channel ID
	 * @param step how the thread rules post it
	 * @return the message body
	 */
	public ChatPostMessage render(TransitionSnapshot snapshot, Template template, String channel,
			ThreadRules.Step step) {
		return render(snapshot, template, channel, step, null, null);
	}

	/**
	 * Render one message.
	 * @param snapshot the transition
	 * @param template its template
	 * @param channel the channel ID
	 * @param step how the thread rules post it
	 * @param open the breaker's open thread, or {@code null}
	 * @param rootPermalink the link to the thread's root, or {@code null}
	 * @return the message body
	 */
	public ChatPostMessage render(TransitionSnapshot snapshot, Template template, String channel, ThreadRules.Step step,
			SlackThread open, String rootPermalink) {
		return render(snapshot, template, channel, step, open, rootPermalink, Map.of());
	}

	/**
	 * Render one message of a thread shared by several replicas.
	 * @param snapshot the transition
	 * @param template its template
	 * @param channel the channel ID
	 * @param step how the thread rules post it
	 * @param open the breaker's open thread, or {@code null}
	 * @param rootPermalink the link to the thread's root, or {@code null}
	 * @param stillFailing when this replica leaves a cycle others are still in: their states by instance id
	 * @return the message body
	 */
	public ChatPostMessage render(TransitionSnapshot snapshot, Template template, String channel, ThreadRules.Step step,
			SlackThread open, String rootPermalink, Map<String, State> stillFailing) {
		Duration outage = (open != null && step.endsThread()) ? Duration.between(open.openedAt(), snapshot.time())
				: null;
		Map<String, String> values = values(snapshot, outage);
		String title = SlackText.escape(Placeholders.replace(template.title(), values));
		String name = SlackText.escape(snapshot.circuitBreaker());
		String prefix = (this.mention != null && !step.isReply() && snapshot.transition().to() == State.OPEN)
				? this.mention + " " : "";
		List<Block> blocks = new ArrayList<>(blocks(snapshot, template, prefix + "*" + title + "*", values));
		if (outage != null) {
			List<String> recovery = new ArrayList<>();
			recovery.add("*Outage:*\n" + SlackText.format(outage));
			if (rootPermalink != null) {
				recovery.add("*Alert:*\n<" + rootPermalink + "|first message of this outage>");
			}
			blocks.add(Blocks.fields(recovery));
		}
		if (!stillFailing.isEmpty()) {
			blocks.add(Blocks.section(FleetStatus.stillFailing(stillFailing)));
		}
		return new ChatPostMessage(channel, SlackText.truncate(prefix + title + ": " + name, SlackText.TEXT_LIMIT),
				List.of(new Attachment(template.color(), blocks)), step.threadTs(),
				step.broadcast() ? Boolean.TRUE : null);
	}

	/**
	 * Render the edit of a thread's root that tells the cycle's current status.
	 * @param thread the thread, with its root transition
	 * @param rootTemplate the template the root was posted with
	 * @param latest the cycle's latest transition
	 * @param latestTemplate that transition's template, whose colour the root takes
	 * @param ended whether the cycle ended with it
	 * @param fleet the state of each replica in a shared cycle, by instance id; empty for one process. A cycle of one
	 * replica reads as the seed's, "now OPEN"; one of several, or one that another replica is still in, reads "OPEN on
	 * 2 instances"
	 * @return the {@code chat.update} body
	 */
	public ChatUpdate renderRootUpdate(SlackThread thread, Template rootTemplate, TransitionSnapshot latest,
			Template latestTemplate, boolean ended, Map<String, State> fleet) {
		State now = latest.transition().to();
		String status;
		if (!ended) {
			status = FleetStatus.isShared(fleet, now) ? FleetStatus.of(fleet) : "now " + now;
		}
		else if (now == State.CLOSED) {
			status = "✅ Recovered after " + SlackText.format(Duration.between(thread.openedAt(), latest.time()));
		}
		else {
			status = "ended in " + now + " after " + SlackText.format(Duration.between(thread.openedAt(), latest.time()));
		}
		return renderRootUpdate(thread, rootTemplate, status, latestTemplate.color());
	}

	/**
	 * Render the edit of a thread's root with a given status after its title.
	 * @param thread the thread, with its root transition
	 * @param rootTemplate the template the root was posted with
	 * @param status such as "now HALF_OPEN", as plain text: it may name an instance, and is escaped here
	 * @param color the attachment's colour
	 * @return the {@code chat.update} body
	 */
	public ChatUpdate renderRootUpdate(SlackThread thread, Template rootTemplate, String status, String color) {
		TransitionSnapshot root = thread.root();
		Map<String, String> values = values(root, null);
		String rootTitle = SlackText.escape(Placeholders.replace(rootTemplate.title(), values));
		String title = rootTitle + " — " + SlackText.escape(status);
		List<Block> blocks = blocks(root, rootTemplate, "*" + title + "*", values);
		return new ChatUpdate(thread.channel(), thread.threadTs(),
				SlackText.truncate(title + ": " + SlackText.escape(root.circuitBreaker()), SlackText.TEXT_LIMIT),
				List.of(new Attachment(color, blocks)));
	}

	/**
	 * Render the reply that ends a shared failure cycle none of whose replicas is left to end it.
	 * @param thread the thread
	 * @param reason why it ended, such as "its last instance, pod-a, stopped reporting", as plain text: it names an
	 * instance, and is escaped here
	 * @param color the attachment's colour
	 * @return the message body: a reply, not broadcast
	 */
	public ChatPostMessage renderCycleEnded(SlackThread thread, String reason, String color) {
		String text = "The failure cycle of " + SlackText.escape(thread.circuitBreaker()) + " ended: "
				+ SlackText.escape(reason);
		return new ChatPostMessage(thread.channel(), SlackText.truncate(text, SlackText.TEXT_LIMIT),
				List.of(new Attachment(color, List.of(Blocks.section(text)))), thread.threadTs(), null);
	}

	private List<Block> blocks(TransitionSnapshot snapshot, Template template, String heading,
			Map<String, String> values) {
		List<Block> blocks = new ArrayList<>(3);
		blocks.add(Blocks.section(heading));
		List<String> fields = new ArrayList<>(List.of(
				"*Circuit Breaker:*\n" + SlackText.escape(snapshot.circuitBreaker()),
				"*State Transition:*\n" + snapshot.transition().from() + " → " + snapshot.transition().to(),
				"*Transition Time:*\n" + time(snapshot),
				"*Description:*\n" + SlackText.escape(Placeholders.replace(template.description(), values))));
		addInstance(fields);
		blocks.add(Blocks.fields(fields));
		TransitionSnapshot.Numbers numbers = snapshot.numbers();
		if (numbers != null && snapshot.transition().to() == State.OPEN) {
			blocks.add(Blocks.fields(List.of(
					"*Failure Rate:*\n" + SlackText.percent(numbers.failureRate()) + " (threshold "
							+ SlackText.percent(numbers.failureRateThreshold()) + ")",
					"*Slow Call Rate:*\n" + SlackText.percent(numbers.slowCallRate()) + " (threshold "
							+ SlackText.percent(numbers.slowCallRateThreshold()) + ")",
					"*Calls:*\n" + numbers.bufferedCalls() + " buffered, " + numbers.failedCalls() + " failed")));
		}
		return blocks;
	}

	/**
	 * Render consecutive transitions of one breaker as one reply, such as "🔁 37 transitions (OPEN ⇄ HALF_OPEN) — now
	 * OPEN".
	 * @param batch the transitions, oldest first
	 * @param template the last transition's template, whose colour the reply takes
	 * @param coalesced the template of the reply's title and description
	 * @param channel the channel ID
	 * @param step how the thread rules post the last transition
	 * @return the message body
	 */
	public ChatPostMessage renderCoalesced(List<TransitionSnapshot> batch, Template template, Template coalesced,
			String channel, ThreadRules.Step step) {
		TransitionSnapshot first = batch.get(0);
		TransitionSnapshot last = batch.get(batch.size() - 1);
		String states = batch.stream()
			.flatMap((snapshot) -> Stream.of(snapshot.transition().from(), snapshot.transition().to()))
			.distinct()
			.map(State::name)
			.collect(Collectors.joining(" ⇄ "));
		Map<String, String> values = Map.of("count", String.valueOf(batch.size()), "states", states, "name",
				last.circuitBreaker(), "from", first.transition().from().name(), "to", last.transition().to().name(),
				"transition", last.transition().toString());
		String title = SlackText.escape(Placeholders.replace(coalesced.title(), values));
		String name = SlackText.escape(last.circuitBreaker());
		List<String> fields = new ArrayList<>(List.of("*Circuit Breaker:*\n" + name,
				"*State Transition:*\n" + first.transition().from() + " → " + last.transition().to(),
				"*Transition Time:*\n" + time(last),
				"*Description:*\n" + SlackText.escape(Placeholders.replace(coalesced.description(), values))));
		addInstance(fields);
		List<Block> blocks = List.of(Blocks.section("*" + title + "*"), Blocks.fields(fields));
		return new ChatPostMessage(channel, SlackText.truncate(title + ": " + name, SlackText.TEXT_LIMIT),
				List.of(new Attachment(template.color(), blocks)), step.threadTs(),
				step.broadcast() ? Boolean.TRUE : null);
	}

	private void addInstance(List<String> fields) {
		if (this.instance != null) {
			fields.add("*Instance:*\n" + SlackText.escape(this.instance));
		}
	}

	/**
	 * Render a message as plain text only, for when Slack refused its blocks.
	 * @param snapshot the transition
	 * @param template its template
	 * @param channel the channel ID
	 * @param step how the thread rules post it
	 * @return a message without attachments
	 */
	public ChatPostMessage renderPlain(TransitionSnapshot snapshot, Template template, String channel,
			ThreadRules.Step step) {
		Map<String, String> values = values(snapshot, null);
		String text = SlackText.escape(Placeholders.replace(template.title(), values)) + ": "
				+ SlackText.escape(snapshot.circuitBreaker()) + "\n" + snapshot.transition().from() + " → "
				+ snapshot.transition().to() + " at " + time(snapshot) + "\n"
				+ SlackText.escape(Placeholders.replace(template.description(), values));
		return new ChatPostMessage(channel, SlackText.truncate(text, SlackText.TEXT_LIMIT), null, step.threadTs(),
				step.broadcast() ? Boolean.TRUE : null);
	}

	private static Map<String, String> values(TransitionSnapshot snapshot, Duration outage) {
		Map<String, String> values = new HashMap<>(12);
		values.put("name", snapshot.circuitBreaker());
		values.put("from", snapshot.transition().from().name());
		values.put("to", snapshot.transition().to().name());
		TransitionSnapshot.Numbers numbers = snapshot.numbers();
		values.put("failureRate", (numbers != null) ? SlackText.percent(numbers.failureRate()) : "n/a");
		values.put("failureRateThreshold", (numbers != null) ? SlackText.percent(numbers.failureRateThreshold()) : "n/a");
		values.put("slowCallRate", (numbers != null) ? SlackText.percent(numbers.slowCallRate()) : "n/a");
		values.put("duration", (outage != null) ? SlackText.format(outage) : "n/a");
		return values;
	}

	/**
	 * Return Slack's date token for the transition's time: each reader sees it in their own zone.
	 * @param snapshot the transition
	 * @return the token, with a UTC fallback
	 */
	protected String time(TransitionSnapshot snapshot) {
		return "<!date^" + snapshot.time().getEpochSecond() + "^{date_short_pretty} {time_secs}|"
				+ UTC.format(snapshot.time()) + " UTC>";
	}

	@Override
	public String toString() {
		return "DefaultMessageRenderer[mention=" + this.mention + ", instance=" + this.instance + "]";
	}

}
