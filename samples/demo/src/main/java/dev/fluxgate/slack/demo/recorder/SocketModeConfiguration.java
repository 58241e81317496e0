package dev.fluxgate.slack.demo.recorder;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * Serves the Socket Mode stand-in's links on the demo's own port.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("demo.recorder.enabled")
class SocketModeConfiguration {

	@Bean
	HandlerMapping socketModeLinks(SocketModeStandIn standIn) {
		return new SimpleUrlHandlerMapping(Map.of(SocketModeStandIn.PATH, standIn), Ordered.HIGHEST_PRECEDENCE);
	}

}
