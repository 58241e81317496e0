package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.fluxgate.slack.autoconfigure.FluxgateSlackProperties.Route;
import dev.fluxgate.slack.autoconfigure.FluxgateSlackProperties.TemplateProperties;
import dev.fluxgate.slack.client.SlackBaseUrl;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.message.Placeholders;
import dev.fluxgate.slack.message.SlackText;
import dev.fluxgate.slack.message.Template;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Checks the {@code fluxgate.slack.*} properties before anything is built from them: a setting that cannot work stops
 * startup with an {@link InvalidSlackPropertyException} naming the property, its value (never the token) and the fix.
 */
final class SlackPropertiesValidator {

	private static final Logger logger = LoggerFactory.getLogger(SlackPropertiesValidator.class);

	private SlackPropertiesValidator() {
	}

	/**
	 * Check the properties.
	 * @param properties the bound properties
	 * @param channel the channel, from the properties or {@code SLACK_CHANNEL_ID}
	 * @param token the token, from the properties or {@code SLACK_BOT_TOKEN}
	 * @param classLoader the application's class loader
	 * @return the mode the properties ask for
	 * @throws InvalidSlackPropertyException on the first setting that cannot work
	 */
	static void validate(FluxgateSlackProperties properties, String channel, String token, ClassLoader classLoader) {
		checkCredentials(channel, token);
		checkJson(classLoader);
		if (!token.trim().startsWith("xoxb-")) {
			logger.warn("fluxgate.slack.token does not start with xoxb-: a bot token is expected; other tokens work "
					+ "but post as their user");
		}
		checkBaseUrl(properties.getBaseUrl());
		checkPositive("fluxgate.slack.timeout", properties.getTimeout());
		checkPositive("fluxgate.slack.shutdown-timeout", properties.getShutdownTimeout());
		checkAtLeast("fluxgate.slack.digest.backlog", properties.getDigest().getBacklog(), Duration.ofSeconds(1));
		checkAtLeast("fluxgate.slack.digest.interval", properties.getDigest().getInterval(), Duration.ofSeconds(1));
		if (properties.getCoalescing().getAfter() < 1) {
			throw new InvalidSlackPropertyException("fluxgate.slack.coalescing.after",
					String.valueOf(properties.getCoalescing().getAfter()), "at least one message must wait before "
							+ "coalescing", "Set fluxgate.slack.coalescing.after to 1 or more (default 4), or "
							+ "fluxgate.slack.coalescing.enabled=false.");
		}
		if (properties.getQueueCapacity() < 1) {
			throw new InvalidSlackPropertyException("fluxgate.slack.queue-capacity",
					String.valueOf(properties.getQueueCapacity()), "at least one message must fit in the queue",
					"Set fluxgate.slack.queue-capacity to 1 or more; the default is 1000.");
		}
		checkMention(properties.getMention());
		checkStore(properties, classLoader);
		checkRetry(properties.getRetry());
		checkPacing(properties.getPacing());
		checkRoutes(properties.getRoutes());
		checkTemplates(properties);
	}

	@SuppressWarnings("removal")
	private static void checkPacing(FluxgateSlackProperties.Pacing pacing) {
		if (!pacing.isEnabled()) {
			return;
		}
		double rate = SlackSettings.rate(pacing);
		if (pacing.getMessages() != null && pacing.getMessages() < 1) {
			throw new InvalidSlackPropertyException("fluxgate.slack.pacing.messages",
					String.valueOf(pacing.getMessages()), "a channel must take at least one message per period",
					"Remove the deprecated fluxgate.slack.pacing.messages and set fluxgate.slack.pacing.rate instead "
							+ "(default 1.0 message per second).");
		}
		if (pacing.getPeriod() != null) {
			checkPositive("fluxgate.slack.pacing.period", pacing.getPeriod());
		}
		if (pacing.getMessages() != null || pacing.getPeriod() != null) {
			logger.warn("fluxgate.slack.pacing.messages and pacing.period are deprecated: set "
					+ "fluxgate.slack.pacing.rate={} instead", rate);
		}
		if (!(rate > 0) || Double.isInfinite(rate)) {
			throw new InvalidSlackPropertyException("fluxgate.slack.pacing.rate", String.valueOf(rate),
					"a rate-limited channel must send at least some messages per second",
					"Set fluxgate.slack.pacing.rate to a positive number of messages per second (default 1.0, Slack's "
							+ "limit), or fluxgate.slack.pacing.enabled=false.");
		}
		if (pacing.getBurst() < 1) {
			throw new InvalidSlackPropertyException("fluxgate.slack.pacing.burst", String.valueOf(pacing.getBurst()),
					"a channel must be able to send at least one message at once",
					"Set fluxgate.slack.pacing.burst to 1 or more (default 3).");
		}
	}

	private static void checkStore(FluxgateSlackProperties properties, ClassLoader classLoader) {
		if (properties.getStore() != FluxgateSlackProperties.Store.REDIS) {
			return;
		}
		if (!ClassUtils.isPresent("org.springframework.data.redis.core.ReactiveStringRedisTemplate", classLoader)) {
			throw new InvalidSlackPropertyException("fluxgate.slack.store", "\"redis\"",
					"Spring Data Redis is not on the classpath",
					"Add spring-boot-starter-data-redis-reactive and point spring.data.redis.* at your Redis, or set "
							+ "fluxgate.slack.store=memory.");
		}
		String keyPrefix = properties.getRedis().getKeyPrefix();
		if (keyPrefix != null && !StringUtils.hasText(keyPrefix)) {
			throw new InvalidSlackPropertyException("fluxgate.slack.redis.key-prefix", quoted(keyPrefix),
					"every key needs a prefix", "Set fluxgate.slack.redis.key-prefix to a prefix such as "
							+ "fluxgate:slack:orders, or remove it to use fluxgate:slack: and spring.application.name.");
		}
		if (keyPrefix != null && (keyPrefix.contains("{") || keyPrefix.contains("}"))) {
			throw new InvalidSlackPropertyException("fluxgate.slack.redis.key-prefix", quoted(keyPrefix),
					"the prefix becomes the keys' Redis Cluster hash tag, {prefix}, and braces inside it would end the "
							+ "tag early, so that a script's keys could hash to different slots (CROSSSLOT)",
					"Remove { and } from fluxgate.slack.redis.key-prefix, such as fluxgate:slack:orders; the starter "
							+ "adds the braces itself.");
		}
		checkAtLeast("fluxgate.slack.redis.thread-ttl", properties.getRedis().getThreadTtl(), Duration.ofMinutes(1));
		checkPositive("fluxgate.slack.redis.timeout", properties.getRedis().getTimeout());
		checkAtLeast("fluxgate.slack.redis.heartbeat", properties.getRedis().getHeartbeat(), Duration.ofMillis(100));
	}

	private static void checkRetry(FluxgateSlackProperties.Retry retry) {
		if (retry.getMaxAttempts() < 1) {
			throw new InvalidSlackPropertyException("fluxgate.slack.retry.max-attempts",
					String.valueOf(retry.getMaxAttempts()), "a message needs at least one attempt",
					"Set fluxgate.slack.retry.max-attempts to 1 (no retries) or more; the default is 5.");
		}
		checkPositive("fluxgate.slack.retry.initial-backoff", retry.getInitialBackoff());
		checkPositive("fluxgate.slack.retry.max-backoff", retry.getMaxBackoff());
		checkPositive("fluxgate.slack.retry.max-retry-after", retry.getMaxRetryAfter());
	}

	private static void checkRoutes(List<Route> routes) {
		for (int i = 0; i < routes.size(); i++) {
			Route route = routes.get(i);
			String property = "fluxgate.slack.routes[" + i + "]";
			if (!StringUtils.hasText(route.getChannel())) {
				throw new InvalidSlackPropertyException(property + ".channel", quoted(route.getChannel()),
						"a route needs a channel", "Set " + property + ".channel to a channel ID such as C1234567890.");
			}
			if (route.getCircuitBreakers().isEmpty()) {
				throw new InvalidSlackPropertyException(property + ".circuit-breakers", "(not set)",
						"a route needs the circuit breakers it routes",
						"Set " + property + ".circuit-breakers to name patterns such as payment-*.");
			}
		}
	}

	private static void checkTemplates(FluxgateSlackProperties properties) {
		checkTemplate("fluxgate.slack.fallback-template", properties.getFallbackTemplate());
		checkTemplate("fluxgate.slack.digest.opened-template", properties.getDigest().getOpenedTemplate(),
				Placeholders.DIGEST);
		checkTemplate("fluxgate.slack.digest.recovered-template", properties.getDigest().getRecoveredTemplate(),
				Placeholders.DIGEST);
		checkTemplate("fluxgate.slack.coalescing.template", properties.getCoalescing().getTemplate(),
				Placeholders.COALESCED);
		for (Map.Entry<String, TemplateProperties> entry : properties.getTemplates().entrySet()) {
			String property = "fluxgate.slack.templates." + entry.getKey();
			try {
				Transition.parse(entry.getKey());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidSlackPropertyException(property, quoted(entry.getKey()),
						"the key is not <state>-to-<state> of Resilience4j states",
						"Use a key such as closed-to-open or half-open-to-closed; states are closed, open, half-open, "
								+ "disabled, metrics-only and forced-open.");
			}
			checkTemplate(property, entry.getValue());
		}
	}

	private static void checkTemplate(String property, TemplateProperties template) {
		checkTemplate(property, template, Placeholders.KNOWN);
	}

	private static void checkTemplate(String property, TemplateProperties template, List<String> placeholders) {
		checkPlaceholders(property + ".title", template.getTitle(), placeholders);
		checkPlaceholders(property + ".description", template.getDescription(), placeholders);
		if (template.getColor() != null && !Template.isColor(template.getColor())) {
			throw new InvalidSlackPropertyException(property + ".color", quoted(template.getColor()),
					"Slack attachment colours are hex #RRGGBB",
					"Set " + property + ".color to a colour such as #FF4C4C, or remove it to keep the default.");
		}
	}

	/**
	 * Check the settings of the buttons, when they are enabled.
	 * @param properties the bound properties
	 * @param appToken the app-level token, from the properties or {@code SLACK_APP_TOKEN}
	 * @throws InvalidSlackPropertyException on the first setting that cannot work
	 */
	static void validateActions(FluxgateSlackProperties properties, String appToken) {
		FluxgateSlackProperties.Actions actions = properties.getActions();
		if (appToken == null || !StringUtils.hasText(appToken)) {
			throw new InvalidSlackPropertyException("fluxgate.slack.app-token", "(not set)",
					"the buttons need an app-level token to open a Socket Mode connection",
					"Create an app-level token with the connections:write scope (your app's Basic Information page) "
							+ "and set SLACK_APP_TOKEN or fluxgate.slack.app-token, or set "
							+ "fluxgate.slack.actions.enabled=false.");
		}
		if (!appToken.trim().startsWith("xapp-")) {
			throw new InvalidSlackPropertyException("fluxgate.slack.app-token", "(a token not starting with xapp-)",
					"Socket Mode takes an app-level token, xapp-…, not a bot or user token",
					"Set SLACK_APP_TOKEN or fluxgate.slack.app-token to the app-level token from your app's Basic "
							+ "Information page.");
		}
		if (actions.getAllowedUsers().isEmpty() && actions.getAllowedGroups().isEmpty()) {
			throw new InvalidSlackPropertyException("fluxgate.slack.actions.allowed-users", "(not set)",
					"nobody may act from the buttons: neither fluxgate.slack.actions.allowed-users nor "
							+ "fluxgate.slack.actions.allowed-groups is set, and the buttons deny by default",
					"Set fluxgate.slack.actions.allowed-users to Slack user IDs such as U0123ABCD, or "
							+ "fluxgate.slack.actions.allowed-groups to user-group IDs such as S0123ABCD.");
		}
		for (String user : actions.getAllowedUsers()) {
			if (user == null || !user.matches("[UW][A-Z0-9]{2,}")) {
				throw new InvalidSlackPropertyException("fluxgate.slack.actions.allowed-users", quoted(user),
						"it is not a Slack user ID", "List user IDs such as U0123ABCD (a member's profile, "
								+ "\"Copy member ID\"), not names or emails.");
			}
		}
		for (String group : actions.getAllowedGroups()) {
			if (group == null || !group.matches("S[A-Z0-9]{2,}")) {
				throw new InvalidSlackPropertyException("fluxgate.slack.actions.allowed-groups", quoted(group),
						"it is not a Slack user-group ID", "List user-group IDs such as S0123ABCD, not handles "
								+ "such as @oncall.");
			}
		}
		checkPositive("fluxgate.slack.actions.group-members-ttl", actions.getGroupMembersTtl());
		checkPositive("fluxgate.slack.actions.reconcile-interval", actions.getReconcileInterval());
		FluxgateSlackProperties.Actions.Socket socket = actions.getSocket();
		checkPositive("fluxgate.slack.actions.socket.ping-interval", socket.getPingInterval());
		checkPositive("fluxgate.slack.actions.socket.idle-timeout", socket.getIdleTimeout());
		checkPositive("fluxgate.slack.actions.socket.initial-backoff", socket.getInitialBackoff());
		checkPositive("fluxgate.slack.actions.socket.max-backoff", socket.getMaxBackoff());
		if (socket.getMaxBackoff().compareTo(socket.getInitialBackoff()) < 0) {
			throw new InvalidSlackPropertyException("fluxgate.slack.actions.socket.max-backoff",
					String.valueOf(socket.getMaxBackoff()), "it is shorter than initial-backoff ("
							+ socket.getInitialBackoff() + "), which doubles up to it",
					"Set fluxgate.slack.actions.socket.max-backoff to at least initial-backoff; the defaults are 60s "
							+ "and 1s.");
		}
		if (!properties.isUpdateRoot()) {
			throw new InvalidSlackPropertyException("fluxgate.slack.update-root", "false",
					"the buttons are redrawn by each edit of the root, and taken away by the last one; without the "
							+ "edits they would outlive their thread",
					"Remove fluxgate.slack.update-root=false, or set fluxgate.slack.actions.enabled=false.");
		}
		if (socket.getIdleTimeout().compareTo(socket.getPingInterval()) <= 0) {
			throw new InvalidSlackPropertyException("fluxgate.slack.actions.socket.idle-timeout",
					String.valueOf(socket.getIdleTimeout()), "a connection would be replaced before its ping is "
							+ "answered", "Set fluxgate.slack.actions.socket.idle-timeout above ping-interval ("
									+ socket.getPingInterval() + "); the defaults are 90s and 30s.");
		}
	}

	private static void checkMention(String mention) {
		if (StringUtils.hasText(mention) && !SlackText.isMention(mention.trim())) {
			throw new InvalidSlackPropertyException("fluxgate.slack.mention", quoted(mention),
					"it is not a Slack mention", "Set fluxgate.slack.mention to <!here>, <!channel>, a user group "
							+ "such as <!subteam^S0123> or a user such as <@U0123>, or remove it.");
		}
	}

	private static void checkCredentials(String channel, String token) {
		if (channel == null || !StringUtils.hasText(channel)) {
			throw new InvalidSlackPropertyException("fluxgate.slack.channel", (channel == null) ? "(not set)" : "\"\"",
					"a bot token is set, but no channel to post to",
					"Set SLACK_CHANNEL_ID or fluxgate.slack.channel to the channel's ID, such as C1234567890 "
							+ "(channel details in Slack), or remove the token to turn Slack notifications off.");
		}
		if (token == null || !StringUtils.hasText(token)) {
			throw new InvalidSlackPropertyException("fluxgate.slack.token", (token == null) ? "(not set)" : "\"\"",
					"a channel is set, but no bot token to post with",
					"Set SLACK_BOT_TOKEN or fluxgate.slack.token to the app's Bot User OAuth Token (xoxb-…, under "
							+ "OAuth & Permissions), or remove the channel to turn Slack notifications off.");
		}
	}

	private static void checkJson(ClassLoader classLoader) {
		if (!ClassUtils.isPresent("tools.jackson.databind.ObjectMapper", classLoader)
				&& !ClassUtils.isPresent("com.fasterxml.jackson.databind.ObjectMapper", classLoader)) {
			throw new InvalidSlackPropertyException("fluxgate.slack.enabled", "true",
					"messages to Slack are JSON, and there is no Jackson on the classpath to write it",
					"Add spring-boot-starter-jackson (Spring Boot 4) or spring-boot-starter-json (Spring Boot 3), "
							+ "which every web starter brings, or set fluxgate.slack.enabled=false.");
		}
	}

	private static void checkBaseUrl(String baseUrl) {
		String problem = SlackBaseUrl.problem(baseUrl);
		if (problem != null) {
			throw new InvalidSlackPropertyException("fluxgate.slack.base-url", quoted(SlackBaseUrl.mask(baseUrl)),
					problem, "Set fluxgate.slack.base-url to an https URL such as https://slack.com/api, without "
							+ "credentials (plain http only for localhost, 127.0.0.0/8 and [::1]).");
		}
	}

	private static void checkAtLeast(String property, Duration duration, Duration minimum) {
		if (duration == null || duration.compareTo(minimum) < 0) {
			throw new InvalidSlackPropertyException(property, String.valueOf(duration),
					"it must be at least " + minimum.toMillis() + "ms",
					"Set " + property + " to " + minimum.toMillis() + "ms or more, such as 10s.");
		}
	}

	private static void checkPositive(String property, Duration duration) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new InvalidSlackPropertyException(property, String.valueOf(duration), "it must be positive",
					"Set " + property + " to a positive duration, such as 5s.");
		}
	}

	private static void checkPlaceholders(String property, String text, List<String> placeholders) {
		if (text != null && !Placeholders.unknown(text, placeholders).isEmpty()) {
			throw new InvalidSlackPropertyException(property, quoted(text),
					"unknown placeholder(s) " + Placeholders.unknown(text, placeholders)
						.stream()
						.map((name) -> "{" + name + "}")
						.toList(),
					"Use only the placeholders " + placeholders.stream().map((name) -> "{" + name + "}").toList()
							+ "; there is no expression language.");
		}
	}

	private static String quoted(String value) {
		return (value != null) ? "\"" + value + "\"" : "(not set)";
	}

}
