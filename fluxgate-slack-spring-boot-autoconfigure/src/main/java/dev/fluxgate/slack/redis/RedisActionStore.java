package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.fluxgate.slack.action.ActionEvent;
import dev.fluxgate.slack.action.ActionStore;
import dev.fluxgate.slack.action.ThreadMarks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * An {@link ActionStore} in Redis, {@link #isShared() shared} by every replica that points at it. An envelope's claim
 * is {@code {prefix}:action:envelope:<id>}, set if absent for ten minutes. The breakers forced open are one hash,
 * {@code {prefix}:action:forced}, of each breaker's event; a thread's marks are one hash,
 * {@code {prefix}:action:marks:<ts>}, indexed in a sorted set, {@code {prefix}:action:threads}, scored by its expiry on
 * Redis's clock. {@link #record(ActionEvent) Recording} is one Lua script, {@code record-action.lua}, which writes the
 * state and publishes the event on {@code {prefix}:actions}; the {@link #snapshot() snapshot} is one too,
 * {@code read-actions.lua}; the marks of threads still open are {@link #keep(Collection) kept} with {@code keep-marks.lua}. The prefix in braces is the keys' Redis Cluster hash tag. Every key has a TTL but the forced
 * hash: Force open is a standing order, undone by Close or Reset, never by time. No token and no message payload is
 * written. {@link #close() Close} it to end the subscription.
 */
public class RedisActionStore implements ActionStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisActionStore.class);

	private static final RedisScript<Long> RECORD = RedisThreadStore.script("record-action.lua");

	private static final RedisScript<Long> KEEP = RedisThreadStore.script("keep-marks.lua");

	private static final RedisScript<List> READ = RedisScript
		.of(new ClassPathResource("dev/fluxgate/slack/redis/read-actions.lua"), List.class);

	private static final Duration CLAIM_TTL = Duration.ofMinutes(10);

	private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private static final SerializationPair<String> STRING = SerializationPair.fromSerializer(RedisSerializer.string());

	// The wire format is fixed here, not taken from the application's mapper, so that every replica reads what any
	// other writes; unknown properties are ignored, so that a replica one version behind reads a newer one's events.
	private static final JsonMapper json = JsonMapper.builder()
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	// Identity, not equality, tells it from RESUBSCRIBED: it never leaves this class.
	private static final Signal SUBSCRIBED = new Signal(null);

	private final ReactiveStringRedisTemplate redis;

	private final String prefix;

	private final String channel;

	private final String forced;

	private final String threads;

	private final String marks;

	private final Duration ttl;

	private final Duration timeout;

	private final Sinks.Empty<Void> closed = Sinks.empty();

	private final Flux<Signal> events;

	/**
	 * Create a store.
	 * @param redis the template of the application's reactive Redis connection; the subscription has a connection of
	 * its own from the same factory
	 * @param keyPrefix the prefix of every key, such as {@code fluxgate:slack:orders}, without braces: they are added
	 * around it
	 * @param ttl how long a thread's marks are kept after their last action; a breaker forced open stays so until it is
	 * closed or reset
	 * @param timeout the longest one store operation may take
	 */
	public RedisActionStore(ReactiveStringRedisTemplate redis, String keyPrefix, Duration ttl, Duration timeout) {
		this.redis = Objects.requireNonNull(redis, "redis must not be null");
		this.prefix = "{" + Objects.requireNonNull(keyPrefix, "keyPrefix must not be null") + "}";
		this.channel = this.prefix + ":actions";
		this.forced = this.prefix + ":action:forced";
		this.threads = this.prefix + ":action:threads";
		this.marks = this.prefix + ":action:marks:";
		this.ttl = Objects.requireNonNull(ttl, "ttl must not be null");
		this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
		this.events = subscription(redis.getConnectionFactory());
	}

	@Override
	public boolean isShared() {
		return true;
	}

	@Override
	public Mono<Boolean> claim(String envelopeId) {
		Objects.requireNonNull(envelopeId, "envelopeId must not be null");
		return RedisCalls.bounded(this.redis.opsForValue()
			.setIfAbsent(this.prefix + ":action:envelope:" + envelopeId, "1", CLAIM_TTL)
			.defaultIfEmpty(false), this.timeout);
	}

	@Override
	public Mono<Void> record(ActionEvent event) {
		return Mono.defer(() -> {
			String threadTs = (event.threadTs() != null) ? event.threadTs() : "";
			String operation = operation(event);
			List<String> keys = new ArrayList<>(List.of(this.forced, this.threads));
			if (!threadTs.isEmpty()) {
				keys.add(this.marks + threadTs);
			}
			else if (!event.action().transitionsBreaker()) {
				// a mark with no thread to keep it on is only told, as the in-memory store does
				operation = "publish";
			}
			List<String> args = List.of(operation, String.valueOf(this.ttl.toMillis()), this.channel,
					json.writeValueAsString(event), event.circuitBreaker(), threadTs,
					(event.user() != null) ? event.user() : "",
					(event.silencedUntil() != null) ? String.valueOf(event.silencedUntil().toEpochMilli()) : "");
			return RedisCalls.bounded(this.redis.execute(RECORD, keys, args).next(), this.timeout);
		}).then();
	}

	private static String operation(ActionEvent event) {
		return switch (event.action()) {
			case FORCE_OPEN -> "force";
			case CLOSE, RESET -> "unforce";
			case ACKNOWLEDGE -> "acknowledge";
			case UNACKNOWLEDGE -> "unacknowledge";
			case SILENCE_30_MINUTES, SILENCE_2_HOURS, SILENCE_UNTIL_RECOVERED -> "silence";
			case UNSILENCE -> "unsilence";
		};
	}

	@Override
	public Flux<Signal> events() {
		return this.events;
	}

	@Override
	public Mono<Void> keep(Collection<String> threadTs) {
		if (threadTs.isEmpty()) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			List<String> keys = new ArrayList<>(threadTs.size() + 1);
			List<String> args = new ArrayList<>(threadTs.size() + 1);
			keys.add(this.threads);
			args.add(String.valueOf(this.ttl.toMillis()));
			for (String ts : threadTs) {
				keys.add(this.marks + ts);
				args.add(ts);
			}
			return RedisCalls.bounded(this.redis.execute(KEEP, keys, args).next(), this.timeout);
		}).then();
	}

	@Override
	public Mono<Snapshot> snapshot() {
		return RedisCalls.bounded(this.redis.execute(READ, List.of(this.forced, this.threads), List.of(this.marks))
			.next()
			.map((answer) -> snapshot(((List<?>) answer).stream().map(String::valueOf).toList())), this.timeout);
	}

	private Snapshot snapshot(List<String> values) {
		int forcedCount = Integer.parseInt(values.get(0));
		Map<String, ActionEvent> forcedOpen = new HashMap<>();
		for (int i = 1; i < 1 + 2 * forcedCount; i += 2) {
			ActionEvent event = parse(values.get(i + 1), this.forced);
			if (event != null) {
				forcedOpen.put(values.get(i), event);
			}
		}
		Map<String, ThreadMarks> threadMarks = new HashMap<>();
		for (int i = 1 + 2 * forcedCount; i + 3 < values.size(); i += 4) {
			threadMarks.put(values.get(i), new ThreadMarks(orNull(values.get(i + 1)), orNull(values.get(i + 2)),
					values.get(i + 3).isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(values.get(i + 3)))));
		}
		return new Snapshot(forcedOpen, threadMarks);
	}

	private static String orNull(String value) {
		return value.isEmpty() ? null : value;
	}

	/**
	 * Stop the subscription: {@link #events()} completes for every subscriber, and its connection is closed.
	 */
	@Override
	public void close() {
		this.closed.tryEmitEmpty();
	}

	// One subscription shared by every subscriber. Lettuce reconnects and resubscribes on its own, and each
	// confirmation of the subscription after the first says that messages may have been missed meanwhile; where the
	// subscription fails instead, a new one is made after a back-off, which the same confirmation follows.
	private Flux<Signal> subscription(ReactiveRedisConnectionFactory connectionFactory) {
		return Flux.defer(() -> {
			AtomicBoolean subscribedBefore = new AtomicBoolean();
			return Flux.defer(() -> listen(connectionFactory, subscribedBefore))
				.retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_BACKOFF)
					.maxBackoff(MAX_BACKOFF)
					.jitter(0)
					.transientErrors(true)
					.doBeforeRetry((retry) -> {
						// the next subscription says reconcile, even the first: the startup's reconciliation may
						// have failed with it
						subscribedBefore.set(true);
						logger.warn("The subscription to {} failed ({}); subscribing again after a back-off, "
								+ "then reconciling", this.channel, retry.failure().toString());
						logger.debug("The subscription to {} failed", this.channel, retry.failure());
					}));
		}).filter((signal) -> signal != SUBSCRIBED).takeUntilOther(this.closed.asMono()).share();
	}

	private Flux<Signal> listen(ReactiveRedisConnectionFactory connectionFactory, AtomicBoolean subscribedBefore) {
		return Flux.usingWhen(
				Mono.fromCallable(() -> new ReactiveRedisMessageListenerContainer(connectionFactory))
					.subscribeOn(Schedulers.boundedElastic()),
				(container) -> {
					Sinks.Many<Signal> subscriptions = Sinks.many().unicast().onBackpressureBuffer();
					SubscriptionListener listener = new SubscriptionListener() {

						@Override
						public void onChannelSubscribed(byte[] channel, long count) {
							subscriptions.tryEmitNext(subscribedBefore.getAndSet(true) ? Signal.RESUBSCRIBED
									: SUBSCRIBED);
						}

					};
					Flux<Signal> messages = container
						.receive(List.of(ChannelTopic.of(this.channel)), STRING, STRING, listener)
						.<Signal>handle((message, sink) -> {
							ActionEvent event = parse(message.getMessage(), message.getChannel());
							if (event != null) {
								sink.next(new Signal(event));
							}
						})
						.concatWith(Mono.error(() -> new IllegalStateException("The subscription ended")));
					return Flux.merge(subscriptions.asFlux(), messages);
				}, ReactiveRedisMessageListenerContainer::destroyLater);
	}

	// A malformed event is skipped, not thrown: one bad message must not end the subscription of every replica.
	private static ActionEvent parse(String value, String source) {
		try {
			return json.readValue(value, ActionEvent.class);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logger.warn("Skipped a malformed action event from {}: {}", source, ex.getMessage());
			return null;
		}
	}

	@Override
	public String toString() {
		return "RedisActionStore[keys=" + this.prefix + ":action:*, channel=" + this.channel + ", ttl=" + this.ttl
				+ "]";
	}

}
