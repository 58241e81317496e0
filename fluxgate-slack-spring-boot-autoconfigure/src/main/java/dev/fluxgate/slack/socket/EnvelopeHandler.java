package dev.fluxgate.slack.socket;

import reactor.core.publisher.Mono;

/**
 * Does the work of an envelope, after the {@link SocketModeClient} acknowledged it, off the socket's thread.
 */
@FunctionalInterface
public interface EnvelopeHandler {

	/**
	 * Handle an envelope. What it throws or signals is logged; it never ends the socket.
	 * @param envelope the envelope
	 * @return completes once handled
	 */
	Mono<Void> handle(Envelope envelope);

}
