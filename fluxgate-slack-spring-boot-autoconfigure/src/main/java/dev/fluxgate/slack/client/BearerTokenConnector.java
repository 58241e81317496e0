package dev.fluxgate.slack.client;

import java.net.URI;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;

/**
 * Adds the bot token below WebClient's request logging, so that no request log of WebClient's ever holds it.
 */
final class BearerTokenConnector implements ClientHttpConnector {

	private final ClientHttpConnector delegate;

	private final String authorization;

	BearerTokenConnector(ClientHttpConnector delegate, String token) {
		this.delegate = delegate;
		this.authorization = "Bearer " + token;
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		return this.delegate.connect(method, uri, (request) -> {
			request.getHeaders().set(HttpHeaders.AUTHORIZATION, this.authorization);
			return requestCallback.apply(request);
		});
	}

	@Override
	public String toString() {
		return "BearerTokenConnector[token=******, delegate=" + this.delegate + "]";
	}

}
