package dev.fluxgate.slack.redis;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One Redis call bounded in time. Lettuce may block the subscribing thread while it connects, so the call is
 * subscribed on a thread of its own, never a listener's lane or the caller of a circuit breaker; and the caller
 * stops waiting after the timeout without cancelling it, so that a connection being made is neither interrupted nor
 * its late failure reported as a dropped error.
 */
final class RedisCalls {

	private static final Logger logger = LoggerFactory.getLogger(RedisCalls.class);

	private static final Scheduler CONNECTING = Schedulers.boundedElastic();

	private RedisCalls() {
	}

	static <T> Mono<T> bounded(Mono<T> call, Duration timeout) {
		return Mono.defer(() -> {
			Sinks.One<T> answer = Sinks.one();
			call.subscribeOn(CONNECTING).subscribe(answer::tryEmitValue, (ex) -> {
				if (answer.tryEmitError(ex).isFailure()) {
					logger.debug("A Redis call failed after its caller stopped waiting", ex);
				}
			}, answer::tryEmitEmpty);
			return answer.asMono().timeout(timeout);
		});
	}

}
