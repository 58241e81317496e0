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
	 * A block: a section with a text, fields, or both; or an {@code actions} block of interactive elements.
	 *
	 * @param type the block type, {@code section}, {@code context} or {@code actions}
	 * @param text the section text
	 * @param fields the section's fields, shown two to a row
	 * @param blockId the block's id, sent back with the actions of its elements
	 * @param elements the elements of an {@code actions} or {@code context} block
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Block(String type, TextObject text, List<TextObject> fields,
			@JsonProperty("block_id") String blockId, List<Object> elements) {

		public Block {
			fields = (fields != null) ? List.copyOf(fields) : null;
			elements = (elements != null) ? List.copyOf(elements) : null;
		}

		/**
		 * Create a section.
		 * @param type the block type
		 * @param text the section text
		 * @param fields the section's fields
		 */
		public Block(String type, TextObject text, List<TextObject> fields) {
			this(type, text, fields, null, null);
		}

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

		/**
		 * Return a context block of one mrkdwn text, shown small.
		 * @param text the mrkdwn text
		 * @return the block
		 */
		public static Block context(String text) {
			return new Block("context", null, null, null, List.of(TextObject.mrkdwn(text)));
		}

		/**
		 * Return an {@code actions} block of buttons.
		 * @param blockId the block's id
		 * @param buttons the buttons, at most 25
		 * @return the block
		 */
		public static Block actions(String blockId, List<Button> buttons) {
			return new Block("actions", null, null, blockId, List.copyOf(buttons));
		}

	}

	/**
	 * A Block Kit {@code button} element.
	 *
	 * @param type {@code button}
	 * @param text the label, plain text
	 * @param actionId the id Slack sends back when it is clicked
	 * @param value the value Slack sends back with the click
	 * @param style {@code primary}, {@code danger}, or {@code null} for the default
	 * @param confirm the dialog that asks before the click is sent, or {@code null}
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Button(String type, TextObject text, @JsonProperty("action_id") String actionId, String value,
			String style, Confirm confirm) {

		/**
		 * Return a button.
		 * @param label the label
		 * @param actionId the action id
		 * @param value the value
		 * @param style the style, or {@code null}
		 * @param confirm the confirmation dialog, or {@code null}
		 * @return the button
		 */
		public static Button of(String label, String actionId, String value, String style, Confirm confirm) {
			return new Button("button", TextObject.plain(label), actionId, value, style, confirm);
		}

	}

	/**
	 * A Block Kit confirmation dialog.
	 *
	 * @param title the dialog's title, plain text
	 * @param text the question, plain text
	 * @param confirm the label of the button that confirms
	 * @param deny the label of the button that cancels
	 * @param style the confirm button's style, {@code danger} or {@code primary}
	 */
	public record Confirm(TextObject title, TextObject text, TextObject confirm, TextObject deny, String style) {

		/**
		 * Return a dialog whose confirm button is red.
		 * @param title the title
		 * @param question the question
		 * @param confirm the confirm button's label
		 * @return the dialog
		 */
		public static Confirm danger(String title, String question, String confirm) {
			return new Confirm(TextObject.plain(title), TextObject.plain(question), TextObject.plain(confirm),
					TextObject.plain("Cancel"), "danger");
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

		/**
		 * Return a plain-text object.
		 * @param text the text
		 * @return the text object
		 */
		public static TextObject plain(String text) {
			return new TextObject("plain_text", text);
		}

	}

}
