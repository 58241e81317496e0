package dev.fluxgate.slack.redis;

import java.time.Duration;
import java.util.Set;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.action.ActionSettings;
import dev.fluxgate.slack.action.AllowListAuthorizer;
import dev.fluxgate.slack.action.BreakerAction;
import dev.fluxgate.slack.action.Click;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What is said from Slack in a fleet lasts as long as it should, not as long as a TTL: a breaker forced open stays so
 * until someone closes or resets it, and a silence "until it recovers" and an acknowledgement hold for the whole
 * cycle, however long it lasts. Real redis-server, real breakers, the thread TTL shortened to 2 s.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class ActionsAcrossTimeTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private static final String ALLOWED = "U0ALLOWED";

	// fluxgate.slack.redis.thread-ttl, shortened so that the tests need not wait 7 days (the default)
	private static final Duration THREAD_TTL = Duration.ofSeconds(2);

	private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("payment-api");

	private SlackListener listener;

	private RedisActionStore store;

	@BeforeEach
	void forgetEveryKey() {
		redis.flush();
	}

	@AfterEach
	void close() {
		if (this.listener != null) {
			this.listener.close();
		}
		if (this.store != null) {
			this.store.close();
		}
	}

	/** A listener whose actions are kept in Redis for the thread TTL, reconciled every 300 ms; its root. */
	private Post trip() {
		WebClientSlackClient client = WebClientSlackClient.builder()
			.token(SlackStandIn.TOKEN)
			.baseUrl(slack.baseUrl())
			.build();
		this.store = new RedisActionStore(redis.template(), "fluxgate:slack:orders", THREAD_TTL, Duration.ofSeconds(2));
		this.listener = slack.configure(SlackListener.builder())
			.client(client)
			.renderer(new DefaultMessageRenderer(null))
			.actions(new ActionSettings(new AllowListAuthorizer(Set.of(ALLOWED), Set.of(), client, Duration.ofMinutes(1)),
					this.store, null, Duration.ofMillis(300), null))
			.build();
		this.listener.getActions().connected(Click.APP);
		this.listener.bindTo(this.breaker);
		this.breaker.transitionToOpenState();
		return slack.posts().get(slack.posts().size() - 1);
	}

	private void click(Post root, BreakerAction action) {
		this.listener.getActions().handle(Click.on(ALLOWED, root, action).envelope()).block(Duration.ofSeconds(10));
	}

	@Test
	void aBreakerForcedOpenFromSlackStaysForcedOpenUntilSomeoneClosesIt() {
		Post root = trip();
		click(root, BreakerAction.FORCE_OPEN);
		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		await().during(THREAD_TTL.multipliedBy(2))
			.atMost(THREAD_TTL.multipliedBy(4))
			.untilAsserted(() -> assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN));
	}

	@Test
	void aSilenceUntilRecoveredAndAnAcknowledgementHoldForACycleLongerThanTheThreadTtl() throws Exception {
		Post root = trip();
		click(root, BreakerAction.ACKNOWLEDGE);
		click(root, BreakerAction.SILENCE_UNTIL_RECOVERED);
		assertThat(this.listener.getMarks(root.ts()).acknowledgedBy()).isEqualTo(ALLOWED);
		await().during(THREAD_TTL.multipliedBy(2))
			.atMost(THREAD_TTL.multipliedBy(4))
			.untilAsserted(() -> {
				assertThat(this.listener.getThreadStore().find("payment-api").blockOptional()).isPresent();
				assertThat(this.listener.getMarks(root.ts()).acknowledgedBy()).isEqualTo(ALLOWED);
				assertThat(this.listener.getMarks(root.ts()).silencedBy()).isEqualTo(ALLOWED);
			});
		int before = slack.posts().size();
		this.breaker.transitionToHalfOpenState();
		Thread.sleep(500);
		assertThat(slack.posts()).as("silenced until it recovers").hasSize(before);
	}

}
