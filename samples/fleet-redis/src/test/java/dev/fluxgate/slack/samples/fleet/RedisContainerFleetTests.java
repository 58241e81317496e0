package dev.fluxgate.slack.samples.fleet;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Redis scenario against Redis in a container, where Docker exists; {@link RedisServerFleetTests} runs the same
 * scenario everywhere else.
 */
@Testcontainers(disabledWithoutDocker = true)
class RedisContainerFleetTests extends RedisFleetScenario {

	@Container
	@ServiceConnection(name = "redis")
	static final GenericContainer<?> redis = new GenericContainer<>("redis:7.4-alpine").withExposedPorts(6379);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry properties) {
		slackStandIn(properties);
	}

}
