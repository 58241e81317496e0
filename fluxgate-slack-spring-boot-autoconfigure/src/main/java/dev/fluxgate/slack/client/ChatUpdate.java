package dev.fluxgate.slack.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fluxgate.slack.client.ChatPostMessage.Attachment;

/**
 * The body of Slack's {@code chat.update}, which edits a message.
 *
 * @param channel the channel ID the message is in, as {@code chat.postMessage} returned it
 * @param ts the message's timestamp
 * @param text the new plain-text fallback
 * @param attachments the new attachments
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatUpdate(String channel, String ts, String text, List<Attachment> attachments) {

	public ChatUpdate {
		attachments = (attachments != null) ? List.copyOf(attachments) : null;
	}

}
