package dev.fluxgate.slack.client;

import reactor.core.publisher.Mono;

/**
 * The Slack Web API methods the listeners call.
 * <p>
 * A call completes with Slack's answer when it succeeded, and fails with a {@link SlackApiException} otherwise.
 */
public interface SlackClient {

	/**
	 * Post a message with {@code chat.postMessage}.
	 * @param message the message
	 * @return Slack's answer, with {@code ok} true and a {@code ts}
	 */
	Mono<SlackResponse> postMessage(ChatPostMessage message);

	/**
	 * Edit a message with {@code chat.update}.
	 * @param update the new content
	 * @return Slack's answer
	 */
	default Mono<SlackResponse> update(ChatUpdate update) {
		return Mono.error(new UnsupportedOperationException("chat.update is not supported by " + this));
	}

	/**
	 * Check the token with {@code auth.test}.
	 * @return who the token is, and in which workspace
	 */
	default Mono<AuthTestResponse> authTest() {
		return Mono.error(new UnsupportedOperationException("auth.test is not supported by " + this));
	}

	/**
	 * Show a message to one user only, with {@code chat.postEphemeral}.
	 * @param message the message
	 * @return Slack's answer
	 */
	default Mono<SlackResponse> postEphemeral(ChatPostEphemeral message) {
		return Mono.error(new UnsupportedOperationException("chat.postEphemeral is not supported by " + this));
	}

	/**
	 * List the members of a user group with {@code usergroups.users.list} (scope {@code usergroups:read}).
	 * @param usergroup the user group's ID, {@code S…}
	 * @return the members
	 */
	default Mono<UsergroupUsers> usergroupMembers(String usergroup) {
		return Mono.error(new UnsupportedOperationException("usergroups.users.list is not supported by " + this));
	}

	/**
	 * Open a Socket Mode connection with {@code apps.connections.open}, which takes an app-level token.
	 * @return Slack's answer, with the WebSocket URL to connect to
	 */
	default Mono<ConnectionsOpenResponse> openConnection() {
		return Mono.error(new UnsupportedOperationException("apps.connections.open is not supported by " + this));
	}

}
