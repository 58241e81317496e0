package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.redis.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fluxgate.slack.instance-id}: left blank, as {@code ${POD_NAME:}} is without the variable, it means the
 * default, which is unique per process even where every container's pid is 1; whatever it is, messages show it as
 * text.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class InstanceIdTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, FluxgateSlackRedisAutoConfiguration.class,
				FluxgateSlackAutoConfiguration.class))
		.withPropertyValues("fluxgate.slack.channel=" + SlackStandIn.CHANNEL,
				"fluxgate.slack.token=" + SlackStandIn.TOKEN, "fluxgate.slack.base-url=" + slack.baseUrl(),
				"fluxgate.slack.mode=sync", "fluxgate.slack.store=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port());

	@Test
	void blankInstanceIdStartsAndUsesTheDefault() {
		redis.flush();
		this.runner.withPropertyValues("fluxgate.slack.instance-id=").run((context) -> {
			assertThat(context).hasNotFailed();
			CircuitBreaker payment = CircuitBreaker.ofDefaults("blank-id");
			context.getBean(AbstractSlackListener.class).bindTo(payment);
			payment.transitionToOpenState();
		});
		assertThat(slack.delivered()).singleElement()
			.satisfies((post) -> assertThat(post.rawBody())
				.contains("*Instance:*\\n" + SlackSettings.instanceId(null) + "\""));
	}

	@Test
	void defaultInstanceIdIsTheHostThePidAndARandomPartMadeOncePerProcess() {
		String id = SlackSettings.instanceId(null);
		assertThat(id).matches(".+-" + ProcessHandle.current().pid() + "-[0-9a-z]{6}");
		assertThat(SlackSettings.instanceId(null)).isEqualTo(id);
		assertThat(SlackSettings.instanceId("  ")).isEqualTo(id);
		assertThat(SlackSettings.instanceId(" pod-a ")).isEqualTo("pod-a");
	}

	@Test
	void mentionLikeInstanceIdIsPostedAsText() {
		redis.flush();
		this.runner.withPropertyValues("fluxgate.slack.instance-id=<!channel>").run((context) -> {
			CircuitBreaker payment = CircuitBreaker.ofDefaults("mention-id");
			context.getBean(AbstractSlackListener.class).bindTo(payment);
			payment.transitionToOpenState();
		});
		assertThat(slack.delivered()).extracting(Post::rawBody)
			.singleElement()
			.satisfies((body) -> assertThat(body).contains("*Instance:*\\n&lt;!channel&gt;").doesNotContain("<!channel>"));
	}

}
