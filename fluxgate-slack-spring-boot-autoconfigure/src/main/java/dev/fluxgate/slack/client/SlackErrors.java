package dev.fluxgate.slack.client;

import java.util.Set;

/**
 * The one taxonomy of Slack's error codes: which may be tried again and how often, which mean the message's payload
 * or its thread was refused, and which mean the token is wrong. What to do about each code is in
 * {@link SlackErrorHints}.
 */
public final class SlackErrors {

	/** A call Slack refused for its rate limit: HTTP 429, or {@code ok:false} with one of these. */
	public static final Set<String> RATE_LIMITED = Set.of("ratelimited", "rate_limited");

	private static final Set<String> TRANSIENT = Set.of("ratelimited", "rate_limited", "service_unavailable",
			"request_timeout");

	private static final Set<String> UNCERTAIN = Set.of("internal_error", "fatal_error");

	private static final Set<String> PAYLOAD_REFUSED = Set.of("invalid_blocks", "invalid_blocks_format",
			"msg_too_long", "invalid_attachments", "too_many_attachments");

	private static final Set<String> THREAD_GONE = Set.of("cannot_reply_to_message", "thread_not_found");

	private SlackErrors() {
	}

	/**
	 * Return whether and how often a call that failed with an error code may be tried again.
	 * @param error the error code of an {@code ok:false} answer
	 * @return the kind of failure
	 */
	public static SlackApiException.Kind kindOf(String error) {
		return TRANSIENT.contains(error) ? SlackApiException.Kind.TRANSIENT
				: UNCERTAIN.contains(error) ? SlackApiException.Kind.RETRY_ONCE : SlackApiException.Kind.PERMANENT;
	}

	/**
	 * Whether Slack refused a message for its content, so that it may go through as plain text.
	 * @param error the error code
	 * @return whether the payload was refused
	 */
	public static boolean isPayloadRefused(String error) {
		return PAYLOAD_REFUSED.contains(error);
	}

	/**
	 * Whether Slack refused a reply because its thread is gone, so that it may start a new one.
	 * @param error the error code
	 * @return whether the thread is gone
	 */
	public static boolean isThreadGone(String error) {
		return THREAD_GONE.contains(error);
	}

	/**
	 * Whether a failure refuses the request for good, with an answer that was a Web API answer: a wrong token, a
	 * missing scope. An answer that was not Slack's (a wrong base URL) does not count.
	 * @param failure the failure
	 * @return whether Slack refused the request for good
	 */
	public static boolean isRefusedBySlack(SlackApiException failure) {
		return !failure.isRetryable() && !"malformed_response".equals(failure.getError());
	}

}
