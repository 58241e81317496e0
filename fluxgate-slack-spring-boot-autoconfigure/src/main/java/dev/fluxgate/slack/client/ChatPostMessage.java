package dev.fluxgate.slack.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of Slack's {@code chat.postMessage}.
 *
 * @param channel the channel ID
 * @param text the plain-text fallback shown in notifications
 * @param attachments the coloured attachments carrying the blocks
 * @param threadTs the {@code ts} of the root to reply to, or {@code null} for a top-level message
 * @param replyBroadcast whether a reply is also sent to the channel; only with {@code threadTs}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatPostMessage(String channel, String text, List<Attachment> attachments,
		@JsonProperty("thread_ts") String threadTs, @JsonProperty("reply_broadcast") Boolean replyBroadcast) {

	public ChatPostMessage {
		if (replyBroadcast != null && threadTs == null) {
			throw new IllegalArgumentException("reply_broadcast belongs only with thread_ts");
		}
		attachments = (attachments != null) ? List.copyOf(attachments) : null;
	}

	/**
	 * A legacy attachment: a colour bar around blocks.
	 *
	 * @param color the hex colour of the side bar
	 * @param blocks the blocks inside it
	 */
	public record Attachment(String color, List<Block> blocks) {

		public Attachment {
			blocks = List.copyOf(blocks);
		}

	}

	/**
	 * A section block with a text, fields, or both.
	 *
	 * @param type the block type, {@code section}
	 * @param text the section text
	 * @param fields the section's fields, shown two to a row
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Block(String type, TextObject text, List<TextObject> fields) {

		/**
		 * Return a section of one mrkdwn text.
		 * @param text the mrkdwn text
		 * @return the block
		 */
		public static Block section(String text) {
			return new Block("section", TextObject.mrkdwn(text), null);
		}

		/**
		 * Return a section of mrkdwn fields.
		 * @param fields the mrkdwn texts
		 * @return the block
		 */
		public static Block fields(List<String> fields) {
			return new Block("section", null, fields.stream().map(TextObject::mrkdwn).toList());
		}

	}

	/**
	 * A text object.
	 *
	 * @param type {@code mrkdwn} or {@code plain_text}
	 * @param text the text
	 */
	public record TextObject(String type, String text) {

		/**
		 * Return a mrkdwn text object.
		 * @param text the text
		 * @return the text object
		 */
		public static TextObject mrkdwn(String text) {
			return new TextObject("mrkdwn", text);
		}

	}

}
