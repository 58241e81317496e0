package dev.fluxgate.slack.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the terminal where to watch.
 */
@Component
class DemoBanner {

	private static final Logger logger = LoggerFactory.getLogger("demo");

	private final boolean recorder;

	DemoBanner(@Value("${demo.recorder.enabled:false}") boolean recorder) {
		this.recorder = recorder;
	}

	@EventListener
	void ready(WebServerInitializedEvent event) {
		int port = event.getWebServer().getPort();
		logger.info("");
		logger.info("  Open http://localhost:{}/ to watch the circuit breaker 'payment-api' in Slack.", port);
		logger.info(this.recorder
				? "  No SLACK_BOT_TOKEN/SLACK_CHANNEL_ID: messages go to the recorder inside this demo."
				: "  Posting to your Slack workspace.");
		logger.info("");
	}

}
