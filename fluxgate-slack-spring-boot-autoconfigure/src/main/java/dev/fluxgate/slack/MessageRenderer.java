package dev.fluxgate.slack;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatPostMessage.Attachment;
import dev.fluxgate.slack.client.ChatPostMessage.Block;

/**
 * Turns a transition and its template into the {@code chat.postMessage} body of the fluxgate Slack listener.
 */
public class MessageRenderer {

	private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	/**
	 * Render one message.
	 * @param snapshot the transition
	 * @param template its template
	 * @param channel the channel ID
	 * @param step how the thread rules post it
	 * @return the message body
	 */
	public ChatPostMessage render(TransitionSnapshot snapshot, Template template, String channel,
			ThreadRules.Step step) {
		String title = escape(template.title());
		String name = escape(snapshot.circuitBreaker());
		List<String> fields = List.of("*Circuit Breaker:*\n" + name,
				"*State Transition:*\n" + snapshot.transition().from() + " → " + snapshot.transition().to(),
				"*Transition Time:*\n" + time(snapshot), "*Description:*\n" + escape(template.description()));
		Attachment attachment = new Attachment(template.color(),
				List.of(Block.section("*" + title + "*"), Block.fields(fields)));
		return new ChatPostMessage(channel, title + ": " + name, List.of(attachment), step.threadTs(),
				step.broadcast() ? Boolean.TRUE : null);
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

	/**
	 * Escape the three characters Slack's mrkdwn gives control meaning, so text can neither format links nor
	 * mention anyone.
	 * @param text the text
	 * @return the escaped text
	 */
	public static String escape(String text) {
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String replacement = switch (c) {
				case '&' -> "&amp;";
				case '<' -> "&lt;";
				case '>' -> "&gt;";
				default -> null;
			};
			if (replacement != null && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null && replacement != null) {
				escaped.append(replacement);
			}
			else if (escaped != null) {
				escaped.append(c);
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

}
