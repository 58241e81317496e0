package dev.fluxgate.slack.action;

import reactor.core.publisher.Mono;

/**
 * Who may act on circuit breakers from Slack. Deny by default.
 */
@FunctionalInterface
public interface ActionAuthorizer {

	/**
	 * Whether a Slack user may act.
	 * @param userId the user's ID, {@code U…} or {@code W…}
	 * @return whether they may
	 */
	Mono<Boolean> mayAct(String userId);

}
