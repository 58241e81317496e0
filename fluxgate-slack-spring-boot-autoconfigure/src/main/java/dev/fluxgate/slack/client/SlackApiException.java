package dev.fluxgate.slack.client;

import java.time.Duration;
import java.util.Set;

/**
 * A Slack Web API call that did not deliver, with Slack's error code and whether trying again may help.
 */
public class SlackApiException extends RuntimeException {

	/** The error codes of a call Slack refused for its rate limit: HTTP 429, or {@code ok:false} with one of these. */
	public static final Set<String> RATE_LIMITED = SlackErrors.RATE_LIMITED;

	private final String error;

	private final Kind kind;

	private final Duration retryAfter;

	/**
	 * Create an exception.
	 * @param error Slack's error code, or one of ours such as {@code http_503} or {@code malformed_response}
	 * @param kind whether and how often the call may be tried again
	 * @param retryAfter how long Slack asked us to wait, or {@code null}
	 * @param message the detail message
	 * @param cause the cause, or {@code null}
	 */
	public SlackApiException(String error, Kind kind, Duration retryAfter, String message, Throwable cause) {
		super(message, cause);
		this.error = error;
		this.kind = kind;
		this.retryAfter = retryAfter;
	}

	/**
	 * Return the exception for an answer with {@code ok:false}.
	 * @param method the API method
	 * @param error Slack's error code
	 * @return the exception
	 */
	public static SlackApiException fromErrorCode(String method, String error) {
		Kind kind = SlackErrors.kindOf(error);
		String hint = SlackErrorHints.hintFor(error);
		return new SlackApiException(error, kind, null,
				method + " failed: " + error + ((hint != null) ? " (" + hint + ")" : ""), null);
	}

	/**
	 * Return the exception for an answer that is not a Slack Web API answer.
	 * @param method the API method
	 * @param detail what was wrong with it
	 * @return the exception
	 */
	public static SlackApiException malformed(String method, String detail) {
		return new SlackApiException("malformed_response", Kind.PERMANENT, null,
				method + " returned a malformed answer: " + detail, null);
	}

	/**
	 * Return Slack's error code, or ours such as {@code http_503}, {@code connect_error} or {@code malformed_response}.
	 * @return the error code
	 */
	public String getError() {
		return this.error;
	}

	/**
	 * Return whether and how often the call may be tried again.
	 * @return the kind of failure
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * Return how long Slack asked us to wait before the next call, from {@code Retry-After}.
	 * @return the wait, or {@code null}
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Whether trying again may help.
	 * @return whether the failure is not permanent
	 */
	public boolean isRetryable() {
		return this.kind != Kind.PERMANENT;
	}

	/**
	 * Whether and how often a failed call may be tried again.
	 */
	public enum Kind {

		/** Rate limited, or the request surely did not reach Slack: try again after a backoff. */
		TRANSIENT,

		/**
		 * Slack may have posted the message (a timeout after the request was sent, HTTP 5xx, {@code internal_error},
		 * {@code fatal_error}): try again at most once, since a retry may post it twice.
		 */
		RETRY_ONCE,

		/** Trying again will not help: the configuration or the message must change. */
		PERMANENT

	}

}
