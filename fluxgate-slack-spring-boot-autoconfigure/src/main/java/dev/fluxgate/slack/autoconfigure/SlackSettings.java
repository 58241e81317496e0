package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.fluxgate.slack.autoconfigure.FluxgateSlackProperties.Route;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackProperties.TemplateProperties;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.RetryPolicy;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.resilience4j.ChannelRouter;
import dev.fluxgate.slack.resilience4j.CircuitBreakerNameFilter;
import dev.fluxgate.slack.thread.InstanceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;

/**
 * The {@code fluxgate.slack.*} properties resolved against the seed's environment variables, checked by
 * {@link SlackPropertiesValidator}, and turned into the listener's collaborators.
 *
 * @param channel the channel ID
 * @param token the bot token
 * @param mode how the listener delivers
 * @param templates the default templates merged with the configured ones
 * @param retryPolicy the retry policy
 * @param channelRouter the channel of each circuit breaker, from the routes
 * @param pacer the pacing of each channel, or {@code null}
 * @param instanceId this replica's name
 */
record SlackSettings(String channel, String token, FluxgateSlackProperties.Mode mode, Templates templates, RetryPolicy retryPolicy,
		ChannelRouter channelRouter, ChannelPacer pacer, String instanceId) {

	static final String CHANNEL_VARIABLE = "SLACK_CHANNEL_ID";

	static final String TOKEN_VARIABLE = "SLACK_BOT_TOKEN";

	static final String APP_TOKEN_VARIABLE = "SLACK_APP_TOKEN";

	static final String DEFAULT_KEY_PREFIX = "fluxgate:slack";

	static final String DEFAULT_INSTANCE_ID = InstanceId.generate();

	private static final Logger logger = LoggerFactory.getLogger(SlackSettings.class);

	static String channel(FluxgateSlackProperties properties, Environment environment) {
		return (properties.getChannel() != null) ? properties.getChannel() : environment.getProperty(CHANNEL_VARIABLE);
	}

	static String token(FluxgateSlackProperties properties, Environment environment) {
		return (properties.getToken() != null) ? properties.getToken() : environment.getProperty(TOKEN_VARIABLE);
	}

	static String appToken(FluxgateSlackProperties properties, Environment environment) {
		return (properties.getAppToken() != null) ? properties.getAppToken()
				: environment.getProperty(APP_TOKEN_VARIABLE);
	}

	static SlackSettings resolve(FluxgateSlackProperties properties, Environment environment, ClassLoader classLoader) {
		String channel = channel(properties, environment);
		String token = token(properties, environment);
		SlackPropertiesValidator.validate(properties, channel, token, classLoader);
		return new SlackSettings(channel.trim(), token.trim(), properties.getMode(), templates(properties), retryPolicy(properties),
				channelRouter(channel.trim(), properties.getRoutes()), pacer(properties.getPacing()),
				instanceId(properties.getInstanceId()));
	}

	/**
	 * The prefix of the Redis keys: as configured, or {@code fluxgate:slack:} and the application's name, so that two
	 * applications sharing a Redis keep their threads apart, or {@code fluxgate:slack} without a name.
	 */
	static String keyPrefix(FluxgateSlackProperties properties, Environment environment) {
		String configured = properties.getRedis().getKeyPrefix();
		if (configured != null) {
			return configured;
		}
		String application = environment.getProperty("spring.application.name");
		if (application == null || application.isBlank()) {
			return DEFAULT_KEY_PREFIX;
		}
		if (application.contains("{") || application.contains("}")) {
			throw new InvalidSlackPropertyException("fluxgate.slack.redis.key-prefix",
					"(not set; spring.application.name=\"" + application + "\")",
					"the default prefix, fluxgate:slack: and the application's name, would have braces, which end the "
							+ "keys' Redis Cluster hash tag",
					"Set fluxgate.slack.redis.key-prefix to a prefix without { or }, such as fluxgate:slack:orders.");
		}
		return DEFAULT_KEY_PREFIX + ":" + application.trim();
	}

	/**
	 * This replica's name: as configured, or, when not set or blank, {@link #DEFAULT_INSTANCE_ID}.
	 */
	static String instanceId(String configured) {
		return (configured != null && !configured.isBlank()) ? configured.trim() : DEFAULT_INSTANCE_ID;
	}

	private static ChannelPacer pacer(FluxgateSlackProperties.Pacing pacing) {
		return pacing.isEnabled() ? new ChannelPacer(rate(pacing), pacing.getBurst()) : null;
	}

	/**
	 * The sustained rate: {@code pacing.rate}, or what the deprecated {@code pacing.messages} per
	 * {@code pacing.period} give when either is set.
	 */
	@SuppressWarnings("removal")
	static double rate(FluxgateSlackProperties.Pacing pacing) {
		if (pacing.getMessages() == null && pacing.getPeriod() == null) {
			return pacing.getRate();
		}
		int messages = (pacing.getMessages() != null) ? pacing.getMessages() : 1;
		Duration period = (pacing.getPeriod() != null) ? pacing.getPeriod() : Duration.ofSeconds(1);
		return (period.isNegative() || period.isZero()) ? 0 : messages * 1e9 / period.toNanos();
	}

	private static ChannelRouter channelRouter(String channel, List<Route> routes) {
		List<Map.Entry<CircuitBreakerNameFilter, String>> resolved = new ArrayList<>();
		for (Route route : routes) {
			resolved.add(Map.entry(new CircuitBreakerNameFilter(route.getCircuitBreakers(), List.of()),
					route.getChannel().trim()));
		}
		return (name) -> {
			for (Map.Entry<CircuitBreakerNameFilter, String> route : resolved) {
				if (route.getKey().test(name)) {
					return route.getValue();
				}
			}
			return channel;
		};
	}

	private static RetryPolicy retryPolicy(FluxgateSlackProperties properties) {
		FluxgateSlackProperties.Retry retry = properties.getRetry();
		return new RetryPolicy(retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff(),
				retry.getMaxRetryAfter());
	}

	static Templates templates(FluxgateSlackProperties properties) {
		Templates defaults = Templates.defaults();
		Templates templates = defaults.withFallback(merge(defaults.fallback(), properties.getFallbackTemplate()))
			.withDigest(merge(defaults.digestOpened(), properties.getDigest().getOpenedTemplate()),
					merge(defaults.digestRecovered(), properties.getDigest().getRecoveredTemplate()))
			.withCoalesced(merge(defaults.coalesced(), properties.getCoalescing().getTemplate()));
		for (Map.Entry<String, TemplateProperties> entry : properties.getTemplates().entrySet()) {
			Transition transition = Transition.parse(entry.getKey());
			templates = templates.with(transition, merge(templates.forTransition(transition), entry.getValue()));
		}
		return templates;
	}

	private static Template merge(Template base, TemplateProperties override) {
		return base.merge(override.getTitle(), override.getColor(), override.getDescription());
	}

	@Override
	public String toString() {
		return "SlackSettings[channel=" + this.channel + ", token=******, mode=" + this.mode + "]";
	}

}
