package dev.fluxgate.slack.actuate;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fluxgate.slack.SlackListenerInfo;
import dev.fluxgate.slack.action.ThreadMarks;
import dev.fluxgate.slack.thread.SlackThread;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/slackthreads}: the open Slack thread of each circuit breaker in a failure cycle.
 */
@Endpoint(id = "slackthreads", defaultAccess = Access.UNRESTRICTED)
public class SlackThreadsEndpoint {

	private final SlackListenerInfo listener;

	public SlackThreadsEndpoint(SlackListenerInfo listener) {
		this.listener = listener;
	}

	@ReadOperation
	public Mono<SlackThreadsDescriptor> threads() {
		return this.listener.getThreadStore()
			.findAll()
			.sort(Comparator.comparing(SlackThread::openedAt).thenComparing(SlackThread::circuitBreaker))
			.map(this::describe)
			.collectList()
			.map((threads) -> new SlackThreadsDescriptor(this.listener.getChannel(), this.listener.getMode(),
					this.listener.getPending(), threads));
	}

	/**
	 * Read one breaker's thread. Blocking, so that Spring MVC answers as WebFlux does (WebFlux runs it on a bounded
	 * elastic thread): an empty {@link Mono} would be a 200 with no body there.
	 * @param name the circuit breaker's name
	 * @return the thread, or 404 when the breaker has none
	 */
	@ReadOperation
	public WebEndpointResponse<ThreadDescriptor> thread(@Selector String name) {
		return found(find(name).block());
	}

	/**
	 * Forget one breaker's thread, so that its next trip starts a new one.
	 * @param name the circuit breaker's name
	 * @return the forgotten thread, or 404 when the breaker had none
	 */
	@DeleteOperation
	public WebEndpointResponse<ThreadDescriptor> forget(@Selector String name) {
		return found(find(name).flatMap((thread) -> this.listener.forget(name).thenReturn(thread)).block());
	}

	private Mono<ThreadDescriptor> find(String name) {
		return this.listener.getThreadStore().find(name).map(this::describe);
	}

	private ThreadDescriptor describe(SlackThread thread) {
		return ThreadDescriptor.of(thread, this.listener.getMarks(thread.threadTs()));
	}

	private static WebEndpointResponse<ThreadDescriptor> found(ThreadDescriptor thread) {
		return (thread != null) ? new WebEndpointResponse<>(thread)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	/**
	 * The listener and its open threads.
	 *
	 * @param channel the default channel ID
	 * @param mode {@code sync} or {@code async}
	 * @param pending how many messages wait to be delivered
	 * @param threads the open threads, oldest first
	 */
	public record SlackThreadsDescriptor(String channel, String mode, int pending,
			List<ThreadDescriptor> threads) implements OperationResponseBody {
	}

	/**
	 * One open thread.
	 *
	 * @param circuitBreaker the circuit breaker's name
	 * @param channel the channel ID of the thread
	 * @param threadTs the root message's {@code ts}, {@code null} while a replica's claim is still posting it
	 * @param state the breaker's state after the cycle's last transition
	 * @param openedAt when the cycle started
	 * @param lastTransitionAt when the cycle's last transition happened
	 * @param messages how many messages the thread holds, root included
	 * @param members with threads shared by replicas: the replicas in the cycle, each with its breaker's state and its
	 * last heartbeat
	 * @param acknowledgedBy the Slack user ID that acknowledged the cycle from its buttons, or {@code null}
	 * @param silencedUntil until when its replies are silenced, or {@code null}
	 */
	public record ThreadDescriptor(String circuitBreaker, String channel, String threadTs, String state,
			Instant openedAt, Instant lastTransitionAt, int messages,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<MemberDescriptor> members, String acknowledgedBy,
			Instant silencedUntil) implements OperationResponseBody {

		static ThreadDescriptor of(SlackThread thread, ThreadMarks marks) {
			return new ThreadDescriptor(thread.circuitBreaker(), thread.channel(), thread.threadTs(),
					thread.state().name(), thread.openedAt(), thread.lastTransitionAt(), thread.messages(),
					thread.fleet()
						.members()
						.entrySet()
						.stream()
						.map((entry) -> new MemberDescriptor(entry.getKey(), entry.getValue().state().name(),
								entry.getValue().heartbeat()))
						.toList(),
					marks.acknowledgedBy(), marks.silencedUntil());
		}

	}

	/**
	 * One replica in a shared failure cycle.
	 *
	 * @param instance its instance id
	 * @param state its breaker's last state
	 * @param lastHeartbeat when it last reported
	 */
	public record MemberDescriptor(String instance, String state, Instant lastHeartbeat) {
	}

}
