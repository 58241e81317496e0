package dev.fluxgate.slack.client;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.codec.CodecException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * A {@link SlackClient} on Spring's non-blocking {@link WebClient}.
 */
public class WebClientSlackClient implements SlackClient {

	/** Slack's Web API. */
	public static final String DEFAULT_BASE_URL = "https://slack.com/api";

	/** How long one call may take by default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(WebClientSlackClient.class);

	private static final MediaType JSON_UTF8 = new MediaType(MediaType.APPLICATION_JSON,
			java.nio.charset.StandardCharsets.UTF_8);

	private final WebClient webClient;

	private final String baseUrl;

	private final Duration timeout;

	WebClientSlackClient(Builder builder) {
		String token = builder.token;
		if (token == null || token.isBlank()) {
			throw new IllegalArgumentException("A Slack bot token is required: set SLACK_BOT_TOKEN");
		}
		this.baseUrl = validBaseUrl(builder.baseUrl);
		this.timeout = Objects.requireNonNull(builder.timeout, "timeout must not be null");
		if (this.timeout.isNegative() || this.timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive, was " + this.timeout);
		}
		WebClient.Builder webClientBuilder = (builder.webClientBuilder != null) ? builder.webClientBuilder.clone()
				: WebClient.builder();
		ClientHttpConnector connector = (builder.connector != null) ? builder.connector
				: new ReactorClientHttpConnector();
		this.webClient = webClientBuilder.baseUrl(this.baseUrl)
			.clientConnector(new BearerTokenConnector(connector, token.trim()))
			.build();
	}

	/**
	 * Return a builder.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public Mono<SlackResponse> postMessage(ChatPostMessage message) {
		return call("chat.postMessage", message, SlackResponse.class).flatMap((answer) -> withTs("chat.postMessage", answer));
	}

	@Override
	public Mono<SlackResponse> update(ChatUpdate update) {
		return call("chat.update", update, SlackResponse.class);
	}

	@Override
	public Mono<SlackResponse> postEphemeral(ChatPostEphemeral message) {
		return call("chat.postEphemeral", message, SlackResponse.class);
	}

	@Override
	public Mono<UsergroupUsers> usergroupMembers(String usergroup) {
		return call("usergroups.users.list", BodyInserters.fromFormData("usergroup", usergroup), UsergroupUsers.class);
	}

	@Override
	public Mono<AuthTestResponse> authTest() {
		return call("auth.test", null, AuthTestResponse.class);
	}

	@Override
	public Mono<ConnectionsOpenResponse> openConnection() {
		return call("apps.connections.open", null, ConnectionsOpenResponse.class)
			.flatMap((answer) -> (answer.url() != null && !answer.url().isBlank()) ? Mono.just(answer)
					: Mono.error(SlackApiException.malformed("apps.connections.open", "ok:true without url")));
	}

	/**
	 * Call a Web API method with a JSON body.
	 * @param <T> the answer's type
	 * @param method the method, such as {@code chat.postMessage}
	 * @param body the typed body, encoded by WebClient's codecs, or {@code null} for none
	 * @param answerType the answer's type
	 * @return Slack's answer when it succeeded
	 */
	protected <T extends SlackAnswer> Mono<T> call(String method, Object body, Class<T> answerType) {
		WebClient.RequestBodySpec request = this.webClient.post()
			.uri("/" + method)
			.contentType(JSON_UTF8)
			.accept(MediaType.APPLICATION_JSON);
		return exchange(method, (body != null) ? request.bodyValue(body) : request, answerType);
	}

	private <T extends SlackAnswer> Mono<T> call(String method, BodyInserters.FormInserter<String> form,
			Class<T> answerType) {
		return exchange(method, this.webClient.post()
			.uri("/" + method)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.APPLICATION_JSON)
			.body(form), answerType);
	}

	private <T extends SlackAnswer> Mono<T> exchange(String method, WebClient.RequestHeadersSpec<?> request,
			Class<T> answerType) {
		return request.exchangeToMono((response) -> read(method, response, answerType))
			.timeout(this.timeout)
			.onErrorMap((ex) -> !(ex instanceof SlackApiException), (ex) -> transportFailure(method, ex));
	}

	private <T extends SlackAnswer> Mono<T> read(String method, ClientResponse response, Class<T> answerType) {
		HttpStatusCode status = response.statusCode();
		if (status.value() == 429) {
			Duration retryAfter = HttpHeaderValues.retryAfter(response.headers().header("Retry-After"));
			return response.releaseBody()
				.then(Mono.error(new SlackApiException("ratelimited", SlackApiException.Kind.TRANSIENT, retryAfter,
						method + " was rate limited (HTTP 429, Retry-After " + retryAfter + ")", null)));
		}
		if (status.is3xxRedirection()) {
			return response.releaseBody()
				.then(Mono.error(new SlackApiException("http_" + status.value(), SlackApiException.Kind.PERMANENT,
						null, method + " answered HTTP " + status.value() + ", a redirect to "
								+ HttpHeaderValues.origin(response.headers().header("Location"))
								+ "; the Slack client follows no redirect, which would carry the bot token to another"
								+ " host. Set fluxgate.slack.base-url to Slack's Web API, " + DEFAULT_BASE_URL,
						null)));
		}
		if (!status.is2xxSuccessful()) {
			SlackApiException.Kind kind = status.is5xxServerError() ? SlackApiException.Kind.RETRY_ONCE
					: SlackApiException.Kind.PERMANENT;
			return response.releaseBody()
				.then(Mono.error(new SlackApiException("http_" + status.value(), kind, null,
						method + " answered HTTP " + status.value(), null)));
		}
		MediaType contentType = response.headers().contentType().orElse(null);
		if (contentType == null || !MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
			return response.releaseBody()
				.then(Mono.error(SlackApiException.malformed(method, "content type " + contentType
						+ " is not application/json; is " + this.baseUrl + " Slack's Web API?")));
		}
		return response.bodyToMono(answerType)
			.onErrorMap(CodecException.class,
					(ex) -> SlackApiException.malformed(method, "the body is not a Slack answer: " + ex.getMessage()))
			.switchIfEmpty(Mono.error(() -> SlackApiException.malformed(method, "the body is empty")))
			.flatMap((answer) -> checked(method, answer));
	}

	private <T extends SlackAnswer> Mono<T> checked(String method, T answer) {
		if (!answer.ok()) {
			return Mono.error(SlackApiException.fromErrorCode(method,
					(answer.error() != null) ? answer.error() : "unknown_error"));
		}
		if (answer.warning() != null && logger.isDebugEnabled()) {
			logger.debug("{} succeeded with warning: {}", method, answer.warning());
		}
		return Mono.just(answer);
	}

	private static Mono<SlackResponse> withTs(String method, SlackResponse answer) {
		if (answer.ts() == null || answer.ts().isBlank()) {
			return Mono.error(SlackApiException.malformed(method, "ok:true without ts"));
		}
		return Mono.just(answer);
	}

	private SlackApiException transportFailure(String method, Throwable ex) {
		if (ex instanceof TimeoutException) {
			return new SlackApiException("timeout", SlackApiException.Kind.RETRY_ONCE, null,
					method + " got no answer within " + this.timeout, null);
		}
		if (ex instanceof WebClientRequestException requestFailure) {
			Throwable cause = requestFailure.getMostSpecificCause();
			boolean notSent = cause instanceof ConnectException || cause instanceof UnknownHostException
					|| cause.getClass().getSimpleName().startsWith("PoolAcquire");
			return new SlackApiException(notSent ? "connect_error" : "connection_lost",
					notSent ? SlackApiException.Kind.TRANSIENT : SlackApiException.Kind.RETRY_ONCE, null,
					method + " could not reach " + this.baseUrl + ": " + cause, null);
		}
		return new SlackApiException("client_error", SlackApiException.Kind.PERMANENT, null,
				method + " failed: " + ex, ex);
	}

	private static String validBaseUrl(String baseUrl) {
		Objects.requireNonNull(baseUrl, "baseUrl must not be null");
		String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		String problem = SlackBaseUrl.problem(trimmed);
		if (problem != null) {
			throw new IllegalArgumentException("base URL '" + SlackBaseUrl.mask(baseUrl) + "' cannot be used: "
					+ problem + "; use an https URL like " + DEFAULT_BASE_URL + " (plain http only on loopback)");
		}
		return trimmed;
	}

	@Override
	public String toString() {
		return "WebClientSlackClient[baseUrl=" + this.baseUrl + ", timeout=" + this.timeout + ", token=******]";
	}

	/**
	 * Builds a {@link WebClientSlackClient}.
	 */
	public static final class Builder {

		private String token;

		private String baseUrl = DEFAULT_BASE_URL;

		private Duration timeout = DEFAULT_TIMEOUT;

		private WebClient.Builder webClientBuilder;

		private ClientHttpConnector connector;

		private Builder() {
		}

		/**
		 * Set the bot token, sent as {@code Authorization: Bearer}.
		 * @param token the bot token, usually {@code xoxb-…}
		 * @return this builder
		 */
		public Builder token(String token) {
			this.token = token;
			return this;
		}

		/**
		 * Set the Web API's base URL.
		 * @param baseUrl the base URL, {@value #DEFAULT_BASE_URL} by default
		 * @return this builder
		 */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
			return this;
		}

		/**
		 * Set how long one call may take.
		 * @param timeout the timeout, 5 seconds by default
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Set the builder to clone, so that its codecs, filters and observation apply.
		 * @param webClientBuilder the builder, {@code WebClient.builder()} by default
		 * @return this builder
		 */
		public Builder webClientBuilder(WebClient.Builder webClientBuilder) {
			this.webClientBuilder = webClientBuilder;
			return this;
		}

		/**
		 * Set the HTTP connector, to use the application's proxy and connection settings. It must follow no
		 * redirect: a followed redirect would carry the bot token to wherever it points. The client treats every
		 * 3xx answer it sees as an error.
		 * @param connector the connector, a new {@link ReactorClientHttpConnector} (which follows no redirect) by
		 * default
		 * @return this builder
		 */
		public Builder connector(ClientHttpConnector connector) {
			this.connector = connector;
			return this;
		}

		/**
		 * Build the client.
		 * @return the client
		 */
		public WebClientSlackClient build() {
			return new WebClientSlackClient(this);
		}

		@Override
		public String toString() {
			return "WebClientSlackClient.Builder[baseUrl=" + this.baseUrl + ", token=******]";
		}

	}

}
