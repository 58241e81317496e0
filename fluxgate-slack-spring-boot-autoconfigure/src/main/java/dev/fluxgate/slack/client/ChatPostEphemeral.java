package dev.fluxgate.slack.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of Slack's {@code chat.postEphemeral}: a message only one user sees.
 *
 * @param channel the channel ID
 * @param user the user ID who sees it
 * @param text the text
 * @param threadTs the {@code ts} of the thread's root to show it in, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatPostEphemeral(String channel, String user, String text, @JsonProperty("thread_ts") String threadTs) {

}
