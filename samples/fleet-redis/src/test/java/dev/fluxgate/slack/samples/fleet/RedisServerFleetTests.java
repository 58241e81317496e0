package dev.fluxgate.slack.samples.fleet;

import dev.fluxgate.slack.RequiresPrograms;
import dev.fluxgate.slack.redis.RedisServer;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Redis scenario against a {@code redis-server} process on loopback.
 */
@RequiresPrograms(value = RedisServer.PROGRAM, install = "redis-server (Debian: apt-get install redis-server)")
class RedisServerFleetTests extends RedisFleetScenario {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry properties) {
		slackStandIn(properties);
		properties.add("spring.data.redis.host", () -> "127.0.0.1");
		properties.add("spring.data.redis.port", redis::port);
	}

}
