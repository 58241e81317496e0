package dev.fluxgate.slack.action;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The payload of a {@code block_actions} interaction: someone clicked a button.
 *
 * @param type {@code block_actions}
 * @param team the workspace of the user who clicked
 * @param user the user who clicked
 * @param apiAppId the app the button belongs to
 * @param container the message the button is on
 * @param channel the channel of that message
 * @param actions the clicked elements
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockActions(String type, Id team, Id user, @JsonProperty("api_app_id") String apiAppId,
		Container container, Id channel, List<Action> actions) {

	public BlockActions {
		actions = (actions != null) ? List.copyOf(actions) : List.of();
	}

	/**
	 * Return the user's ID.
	 * @return the user ID, or {@code null}
	 */
	public String userId() {
		return (this.user != null) ? this.user.id() : null;
	}

	/**
	 * Return the channel ID of the message the button is on.
	 * @return the channel ID, or {@code null}
	 */
	public String channelId() {
		if (this.container != null && this.container.channelId() != null) {
			return this.container.channelId();
		}
		return (this.channel != null) ? this.channel.id() : null;
	}

	/**
	 * Return the {@code ts} of the message the button is on.
	 * @return the message's {@code ts}, or {@code null}
	 */
	public String messageTs() {
		return (this.container != null) ? this.container.messageTs() : null;
	}

	/**
	 * An object known by its ID.
	 *
	 * @param id the ID
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Id(String id) {
	}

	/**
	 * Where the clicked element is.
	 *
	 * @param messageTs the message's {@code ts}
	 * @param channelId the message's channel
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Container(@JsonProperty("message_ts") String messageTs,
			@JsonProperty("channel_id") String channelId) {
	}

	/**
	 * One clicked element.
	 *
	 * @param actionId the element's {@code action_id}
	 * @param blockId the block's {@code block_id}
	 * @param value the button's value
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Action(@JsonProperty("action_id") String actionId, @JsonProperty("block_id") String blockId,
			String value) {
	}

}
