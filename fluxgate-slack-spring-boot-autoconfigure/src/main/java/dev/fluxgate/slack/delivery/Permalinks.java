package dev.fluxgate.slack.delivery;

import java.time.Duration;

import dev.fluxgate.slack.client.AuthTestResponse;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.thread.SlackThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Links to a thread's root, for recovery messages. The workspace URL comes from one {@code auth.test}, kept for a
 * day, which also serves the startup check: the two need one call between them.
 */
public final class Permalinks {

	private static final Logger logger = LoggerFactory.getLogger(Permalinks.class);

	private final Mono<AuthTestResponse> authTest;

	private final Mono<String> workspaceUrl;

	/**
	 * Create the permalinks of a client's workspace.
	 * @param client the Slack client
	 */
	public Permalinks(SlackClient client) {
		this.authTest = Mono.defer(client::authTest)
			.cache((answer) -> Duration.ofHours(24), (ex) -> Duration.ZERO, () -> Duration.ZERO);
		this.workspaceUrl = this.authTest.map((answer) -> (answer.url() != null) ? answer.url() : "")
			.onErrorResume((ex) -> {
				logger.debug("No workspace URL for permalinks: {}", ex.getMessage());
				return Mono.just("");
			});
	}

	/**
	 * Return the cached {@code auth.test}.
	 * @return Slack's answer
	 */
	public Mono<AuthTestResponse> authTest() {
		return this.authTest;
	}

	/**
	 * Return the link to a thread's root.
	 * @param thread the thread
	 * @return the link, or an empty string when the workspace URL is unknown
	 */
	public Mono<String> of(SlackThread thread) {
		return this.workspaceUrl.map((url) -> url.isEmpty() ? ""
				: (url.endsWith("/") ? url : url + "/") + "archives/" + thread.channel() + "/p"
						+ thread.threadTs().replace(".", ""));
	}

}
