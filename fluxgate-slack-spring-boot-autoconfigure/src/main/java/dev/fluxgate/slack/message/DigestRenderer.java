package dev.fluxgate.slack.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatPostMessage.Attachment;
import dev.fluxgate.slack.client.ChatPostMessage.Block;
import dev.fluxgate.slack.client.ChatUpdate;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * Renders the messages of a storm digest: one root and its replies telling many circuit breakers at once, and the root's
 * edits as a live list of their states.
 */
public class DigestRenderer {

	/** The most blocks Slack takes in one attachment of a message. */
	private static final int MAX_BLOCKS = 50;

	private final String mention;

	/**
	 * Create a digest renderer.
	 * @param mention the mention of a digest root, or {@code null}
	 */
	public DigestRenderer(String mention) {
		this.mention = mention;
	}

	/**
	 * Render a storm digest: one message telling many circuit breakers at once.
	 * @param channel the channel ID
	 * @param title what happened, such as "🚨 14 more circuit breakers opened"
	 * @param color the attachment's colour
	 * @param states the state of each circuit breaker, by name
	 * @param threadTs the digest root to reply to, or {@code null}
	 * @return the message body
	 */
	public ChatPostMessage renderDigest(String channel, String title, String color, Map<String, State> states,
			String threadTs) {
		return message(channel, title, title, color, states, threadTs, true);
	}

	/**
	 * Render the root of a storm digest: the breakers that opened, with the mention each of their own roots would
	 * have carried.
	 * @param channel the channel ID of the digest
	 * @param title the digest's title
	 * @param color the attachment's colour
	 * @param states the state of each circuit breaker, by name
	 * @return the {@code chat.postMessage} body
	 */
	public ChatPostMessage renderDigestRoot(String channel, String title, String color, Map<String, State> states) {
		return message(channel, heading(title), title, color, states, null, false);
	}

	/**
	 * Render the edit of a storm digest's root, as a live list of its circuit breakers' states.
	 * @param channel the channel ID of the digest
	 * @param ts the digest root's timestamp
	 * @param title the digest's title
	 * @param color the attachment's colour
	 * @param states the state of each circuit breaker, by name
	 * @return the {@code chat.update} body
	 */
	public ChatUpdate renderDigestUpdate(String channel, String ts, String title, String color,
			Map<String, State> states) {
		return update(channel, ts, title, color, states);
	}

	/**
	 * Render the root of the fleet's storm digest: every breaker of the storm with the instances it is failing on.
	 * @param channel the channel ID of the digest
	 * @param title the digest's title
	 * @param color the attachment's colour
	 * @param lines each circuit breaker's line, by name
	 * @return the {@code chat.postMessage} body
	 */
	public ChatPostMessage renderFleetDigestRoot(String channel, String title, String color,
			Map<String, FleetDigestLine> lines) {
		return message(channel, heading(title), title, color, lines, null, false);
	}

	/**
	 * Render the edit of the fleet's storm digest root, as a live list of its breakers.
	 * @param channel the channel ID of the digest
	 * @param ts the digest root's timestamp
	 * @param title the digest's title
	 * @param color the attachment's colour
	 * @param lines each circuit breaker's line, by name
	 * @return the {@code chat.update} body
	 */
	public ChatUpdate renderFleetDigestUpdate(String channel, String ts, String title, String color,
			Map<String, FleetDigestLine> lines) {
		return update(channel, ts, title, color, lines);
	}

	/**
	 * Render a reply of the fleet's storm digest: the breakers that opened since the last flush, or those that
	 * recovered on their last instance.
	 * @param channel the channel ID
	 * @param title what happened, such as "🚨 14 more circuit breakers opened"
	 * @param color the attachment's colour
	 * @param lines each circuit breaker's line, by name
	 * @param threadTs the digest root to reply to, or {@code null} for a message of its own
	 * @param broadcast whether the reply is also sent to the channel
	 * @return the message body
	 */
	public ChatPostMessage renderFleetDigest(String channel, String title, String color,
			Map<String, FleetDigestLine> lines, String threadTs, boolean broadcast) {
		return message(channel, title, title, color, lines, threadTs, broadcast);
	}

	private String heading(String title) {
		return (this.mention != null) ? this.mention + " " + title : title;
	}

	private static ChatPostMessage message(String channel, String heading, String title, String color,
			Map<String, ?> lines, String threadTs, boolean broadcast) {
		return new ChatPostMessage(channel, SlackText.truncate(heading + ": " + names(lines), SlackText.TEXT_LIMIT),
				List.of(new Attachment(color, digestBlocks(title, lines))), threadTs,
				(threadTs != null && broadcast) ? Boolean.TRUE : null);
	}

	private static ChatUpdate update(String channel, String ts, String title, String color, Map<String, ?> lines) {
		return new ChatUpdate(channel, ts, SlackText.truncate(title + ": " + names(lines), SlackText.TEXT_LIMIT),
				List.of(new Attachment(color, digestBlocks(title, lines))));
	}

	private static String names(Map<String, ?> states) {
		return states.keySet().stream().map(SlackText::escape).collect(Collectors.joining(", "));
	}

	/**
	 * The digest's title and its lines, as many sections as the lines need: a section holds at most
	 * {@value SlackText#SECTION_LIMIT} characters, and a storm lists hundreds of breakers. Slack takes at most
	 * {@value #MAX_BLOCKS} blocks; lines beyond them are counted in the last one.
	 */
	private static List<Block> digestBlocks(String title, Map<String, ?> states) {
		List<Block> blocks = new ArrayList<>();
		blocks.add(Blocks.section("*" + title + "*"));
		StringBuilder section = new StringBuilder();
		int told = 0;
		for (Map.Entry<String, ?> entry : states.entrySet()) {
			String line = "• " + SlackText.escape(entry.getKey()) + " — " + entry.getValue();
			if (section.length() > 0 && section.length() + 1 + line.length() > SlackText.SECTION_LIMIT) {
				if (blocks.size() == MAX_BLOCKS - 1) {
					break;
				}
				blocks.add(Blocks.section(section.toString()));
				section.setLength(0);
			}
			section.append((section.length() > 0) ? "\n" : "").append(line);
			told++;
		}
		if (told < states.size()) {
			String more = "\n… and " + (states.size() - told) + " more";
			if (section.length() + more.length() > SlackText.SECTION_LIMIT) {
				section.setLength(Math.max(0, SlackText.SECTION_LIMIT - more.length()));
			}
			section.append(more);
		}
		blocks.add(Blocks.section(section.toString()));
		return blocks;
	}

}
