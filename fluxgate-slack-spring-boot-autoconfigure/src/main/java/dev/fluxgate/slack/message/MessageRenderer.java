package dev.fluxgate.slack.message;

import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;

/**
 * Turns what the listener tells into Slack's payloads: a message, and the edit of a thread's root.
 * {@link DefaultMessageRenderer} renders the fluxgate Slack listener's messages; implement this, or extend that, to
 * change more than the wording templates can.
 */
public interface MessageRenderer {

	/**
	 * Render a message: one transition, consecutive transitions told in one reply, or the end of a shared cycle.
	 * @param message what the message tells
	 * @return the {@code chat.postMessage} body
	 */
	ChatPostMessage render(SlackMessage message);

	/**
	 * Render the edit of a thread's root that tells the cycle's current status.
	 * @param edit what the edit tells
	 * @return the {@code chat.update} body
	 */
	ChatUpdate render(RootEdit edit);

	/**
	 * Return the renderer of storm digests.
	 * @return the digest renderer, one that mentions nobody by default
	 */
	default DigestRenderer digests() {
		return new DigestRenderer(null);
	}

}
