package dev.fluxgate.slack.demo.recorder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * The conversation a Slack channel would show, recorded from the Web API calls the starter makes.
 */
@Component
public class SlackRecorder {

	private static final Logger terminal = LoggerFactory.getLogger("slack");

	private final List<RecordedMessage> messages = new ArrayList<>();

	private final List<RecordedEphemeral> ephemerals = new ArrayList<>();

	private final AtomicLong sequence = new AtomicLong();

	synchronized RecordedMessage post(String channel, String text, JsonNode attachments, String threadTs,
			boolean broadcast) {
		Instant now = Instant.now();
		String ts = now.getEpochSecond() + "." + String.format("%06d", this.sequence.incrementAndGet());
		RecordedMessage message = new RecordedMessage(channel, ts, threadTs, threadTs != null && broadcast, text,
				attachments, false, now);
		this.messages.add(message);
		terminal.info("#{} {}{}{}", channel, (threadTs != null) ? "   └ " : "", text,
				message.broadcast() ? "   (also sent to the channel)" : "");
		return message;
	}

	synchronized RecordedMessage update(String channel, String ts, String text, JsonNode attachments) {
		for (int i = 0; i < this.messages.size(); i++) {
			RecordedMessage message = this.messages.get(i);
			if (message.ts().equals(ts) && message.channel().equals(channel)) {
				RecordedMessage edited = new RecordedMessage(channel, ts, message.threadTs(), message.broadcast(),
						text, attachments, true, message.postedAt());
				this.messages.set(i, edited);
				terminal.info("#{} ✎ root now reads: {}", channel, text);
				return edited;
			}
		}
		return null;
	}

	synchronized RecordedEphemeral postEphemeral(String channel, String user, String text, String threadTs) {
		Instant now = Instant.now();
		String ts = now.getEpochSecond() + "." + String.format("%06d", this.sequence.incrementAndGet());
		RecordedEphemeral ephemeral = new RecordedEphemeral(channel, ts, user, threadTs, text, now);
		this.ephemerals.add(ephemeral);
		terminal.info("#{} (only visible to {}) {}", channel, user, text);
		return ephemeral;
	}

	/**
	 * Find a message.
	 * @param channel the channel ID
	 * @param ts the message's timestamp
	 * @return the message, or {@code null}
	 */
	public synchronized RecordedMessage find(String channel, String ts) {
		return this.messages.stream()
			.filter((message) -> message.ts().equals(ts) && message.channel().equals(channel))
			.findFirst()
			.orElse(null);
	}

	/**
	 * Return every ephemeral message, in the order posted.
	 * @return the ephemeral messages
	 */
	public synchronized List<RecordedEphemeral> ephemerals() {
		return List.copyOf(this.ephemerals);
	}

	/**
	 * Return every message, in the order posted.
	 * @return the messages
	 */
	public synchronized List<RecordedMessage> messages() {
		return List.copyOf(this.messages);
	}

	/**
	 * One message as Slack would store it.
	 *
	 * @param channel the channel ID
	 * @param ts the message's timestamp
	 * @param threadTs the root's timestamp for a reply, or {@code null}
	 * @param broadcast whether a reply was also sent to the channel
	 * @param text the plain-text fallback
	 * @param attachments the attachments, as posted
	 * @param edited whether {@code chat.update} changed it
	 * @param postedAt when it was posted
	 */
	public record RecordedMessage(String channel, String ts, String threadTs, boolean broadcast, String text,
			JsonNode attachments, boolean edited, Instant postedAt) {
	}

	/**
	 * A message only one user sees, from {@code chat.postEphemeral}.
	 *
	 * @param channel the channel ID
	 * @param ts the message's timestamp
	 * @param user the user who sees it
	 * @param threadTs the thread's root it shows in, or {@code null}
	 * @param text the text
	 * @param postedAt when it was posted
	 */
	public record RecordedEphemeral(String channel, String ts, String user, String threadTs, String text,
			Instant postedAt) {
	}

}
