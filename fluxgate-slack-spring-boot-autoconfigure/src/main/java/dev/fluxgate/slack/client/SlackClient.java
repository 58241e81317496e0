package dev.fluxgate.slack.client;

import reactor.core.publisher.Mono;

/**
 * The Slack Web API methods the listeners call.
 * <p>
 * A call completes with Slack's answer when it was delivered, and fails with a {@link SlackApiException} otherwise.
 */
public interface SlackClient {

	/**
	 * Post a message with {@code chat.postMessage}.
	 * @param message the message
	 * @return Slack's answer, with {@code ok} true and a {@code ts}
	 */
	Mono<SlackResponse> postMessage(ChatPostMessage message);

}
