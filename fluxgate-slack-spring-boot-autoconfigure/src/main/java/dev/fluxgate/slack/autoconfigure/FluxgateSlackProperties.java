package dev.fluxgate.slack.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Configuration properties for posting circuit-breaker transitions to Slack.
 */
@ConfigurationProperties("fluxgate.slack")
public class FluxgateSlackProperties {

	/**
	 * Whether circuit-breaker transitions are posted to Slack.
	 */
	private boolean enabled = true;

	/**
	 * ID of the channel to post to, such as C1234567890. Falls back to the SLACK_CHANNEL_ID environment variable.
	 */
	private String channel;

	/**
	 * Bot token of the Slack app, xoxb-…. Falls back to the SLACK_BOT_TOKEN environment variable.
	 */
	private String token;

	/**
	 * App-level token of the Slack app, xapp-…, with scope connections:write, for the buttons over Socket Mode. Falls
	 * back to the SLACK_APP_TOKEN environment variable.
	 */
	private String appToken;

	/**
	 * How transitions are posted: 'async' never blocks the caller, 'sync' waits for Slack on the caller's thread.
	 */
	private Mode mode = Mode.ASYNC;

	/**
	 * Base URL of Slack's Web API. Plain http is only accepted for loopback addresses.
	 */
	private String baseUrl = "https://slack.com/api";

	/**
	 * Timeout of one call to Slack. In sync mode, also the longest a transition waits for Slack, retries included.
	 */
	private Duration timeout = Duration.ofSeconds(5);

	/**
	 * Most messages the async listener holds waiting for Slack; more are dropped and counted.
	 */
	private int queueCapacity = 1000;

	/**
	 * Longest the async listener waits on shutdown to deliver pending messages.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * Where the open threads are kept: 'memory' in this process, or 'redis', shared by the replicas that use the
	 * same Redis and kept across restarts (needs spring-boot-starter-data-redis-reactive).
	 */
	private Store store = Store.MEMORY;

	/**
	 * This replica's name in messages and in the store, with store=redis. Defaults, also when blank, to the host name,
	 * the process id and a random part made once per process, so that it is unique even where every pid is 1.
	 */
	private String instanceId;

	private final Redis redis = new Redis();

	private final Retry retry = new Retry();

	private final Coalescing coalescing = new Coalescing();

	private final Pacing pacing = new Pacing();

	private final Digest digest = new Digest();

	private final Actions actions = new Actions();

	/**
	 * Whether the root message of a thread is edited to show the failure cycle's current state.
	 */
	private boolean updateRoot = true;

	/**
	 * Mention added to root messages of breakers that open, such as <!here>, <!subteam^S0123> or <@U0123>.
	 */
	private String mention;

	/**
	 * Channels for some circuit breakers, chosen by name; the first matching route wins.
	 */
	private List<Route> routes = new ArrayList<>();

	/**
	 * Whether to check the token with one auth.test call at startup, logging the bot and workspace.
	 */
	private boolean verifyOnStartup;

	/**
	 * Whether a failed startup check stops the application.
	 */
	private boolean failOnStartupError;

	/**
	 * Message templates by transition, such as 'closed-to-open' or 'half-open-to-closed'. Only the fields set here
	 * override the defaults.
	 */
	private Map<String, TemplateProperties> templates = new LinkedHashMap<>();

	/**
	 * Message template of any transition without a template of its own. Only the fields set here override the
	 * default.
	 */
	private TemplateProperties fallbackTemplate = new TemplateProperties();

	private final CircuitBreakers circuitBreakers = new CircuitBreakers();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getChannel() {
		return this.channel;
	}

	public void setChannel(String channel) {
		this.channel = channel;
	}

	public String getToken() {
		return this.token;
	}

	public void setToken(String token) {
		this.token = token;
	}

	public String getAppToken() {
		return this.appToken;
	}

	public void setAppToken(String appToken) {
		this.appToken = appToken;
	}

	public Actions getActions() {
		return this.actions;
	}

	public Mode getMode() {
		return this.mode;
	}

	public void setMode(Mode mode) {
		this.mode = mode;
	}

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Coalescing getCoalescing() {
		return this.coalescing;
	}

	public Pacing getPacing() {
		return this.pacing;
	}

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(String instanceId) {
		this.instanceId = instanceId;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Digest getDigest() {
		return this.digest;
	}

	public boolean isUpdateRoot() {
		return this.updateRoot;
	}

	public void setUpdateRoot(boolean updateRoot) {
		this.updateRoot = updateRoot;
	}

	public String getMention() {
		return this.mention;
	}

	public void setMention(String mention) {
		this.mention = mention;
	}

	public List<Route> getRoutes() {
		return this.routes;
	}

	public void setRoutes(List<Route> routes) {
		this.routes = routes;
	}

	public boolean isVerifyOnStartup() {
		return this.verifyOnStartup;
	}

	public void setVerifyOnStartup(boolean verifyOnStartup) {
		this.verifyOnStartup = verifyOnStartup;
	}

	public boolean isFailOnStartupError() {
		return this.failOnStartupError;
	}

	public void setFailOnStartupError(boolean failOnStartupError) {
		this.failOnStartupError = failOnStartupError;
	}

	public Map<String, TemplateProperties> getTemplates() {
		return this.templates;
	}

	public void setTemplates(Map<String, TemplateProperties> templates) {
		this.templates = templates;
	}

	public TemplateProperties getFallbackTemplate() {
		return this.fallbackTemplate;
	}

	public void setFallbackTemplate(TemplateProperties fallbackTemplate) {
		this.fallbackTemplate = fallbackTemplate;
	}

	public CircuitBreakers getCircuitBreakers() {
		return this.circuitBreakers;
	}

	/**
	 * Retries of messages that failed for a reason that may pass.
	 */
	public static class Retry {

		/**
		 * Most attempts per message, the first included.
		 */
		private int maxAttempts = 5;

		/**
		 * Wait before the first retry, doubled before each next one.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Longest wait between two attempts, unless Slack's Retry-After asks for more.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		/**
		 * Longest Retry-After honoured; a message Slack asks to hold longer is given up, counted and logged.
		 */
		private Duration maxRetryAfter = Duration.ofMinutes(5);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Duration getMaxRetryAfter() {
			return this.maxRetryAfter;
		}

		public void setMaxRetryAfter(Duration maxRetryAfter) {
			this.maxRetryAfter = maxRetryAfter;
		}

	}

	/**
	 * The fields of one message template; unset fields keep the default.
	 */
	public static class TemplateProperties {

		/**
		 * Message title, emoji allowed.
		 */
		private String title;

		/**
		 * Colour of the attachment's side bar, #RRGGBB.
		 */
		private String color;

		/**
		 * Detailed description of the state change.
		 */
		private String description;

		public String getTitle() {
			return this.title;
		}

		public void setTitle(String title) {
			this.title = title;
		}

		public String getColor() {
			return this.color;
		}

		public void setColor(String color) {
			this.color = color;
		}

		public String getDescription() {
			return this.description;
		}

		public void setDescription(String description) {
			this.description = description;
		}

	}

	/**
	 * Coalescing of a flapping breaker's messages while Slack rate-limits its channel.
	 */
	public static class Coalescing {

		/**
		 * Whether a breaker's messages that wait in a channel Slack has rate-limited are told in one reply.
		 */
		private boolean enabled = true;

		/**
		 * Most messages of one breaker that may wait in a rate-limited channel before they are told in one reply.
		 */
		private int after = 4;

		/**
		 * Wording of a coalesced reply: title and description, with the placeholders {count}, {states}, {name},
		 * {from}, {to} and {transition}; the reply takes the colour of its last transition's template.
		 */
		private final TemplateProperties template = new TemplateProperties();

		public TemplateProperties getTemplate() {
			return this.template;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getAfter() {
			return this.after;
		}

		public void setAfter(int after) {
			this.after = after;
		}

	}

	/**
	 * Pacing of each channel's messages, learned from Slack's HTTP 429 answers.
	 */
	public static class Pacing {

		/**
		 * Whether each channel's messages are paced: sent freely while Slack accepts them, held for Retry-After on
		 * the first HTTP 429, then sent at the sustained rate until the channel's backlog is gone.
		 */
		private boolean enabled = true;

		/**
		 * Messages per second a channel sends once Slack has rate-limited it; Slack allows about one.
		 */
		private double rate = 1.0;

		/**
		 * Most messages a channel sends at once while Slack accepts them; past it, one at a time. Slack allows short
		 * bursts above one per second without saying how many, and three stays within them.
		 */
		private int burst = 3;

		/**
		 * Messages a channel took per period under the old fixed-window pacing; with pacing.period, sets the rate.
		 */
		private Integer messages;

		/**
		 * Period of the old fixed-window pacing; with pacing.messages, sets the rate.
		 */
		private Duration period;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getRate() {
			return this.rate;
		}

		public void setRate(double rate) {
			this.rate = rate;
		}

		public int getBurst() {
			return this.burst;
		}

		public void setBurst(int burst) {
			this.burst = burst;
		}

		/**
		 * Messages a channel took per period under the old fixed-window pacing; with pacing.period, sets the rate.
		 * @return the messages per period, or {@code null}
		 * @deprecated for removal in favour of {@code fluxgate.slack.pacing.rate}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "fluxgate.slack.pacing.rate",
				reason = "Pacing is a token bucket now: a sustained rate, and a burst while Slack accepts.",
				since = "0.1.0")
		public Integer getMessages() {
			return this.messages;
		}

		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setMessages(Integer messages) {
			this.messages = messages;
		}

		/**
		 * Period of the old fixed-window pacing; with pacing.messages, sets the rate.
		 * @return the period, or {@code null}
		 * @deprecated for removal in favour of {@code fluxgate.slack.pacing.rate}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "fluxgate.slack.pacing.rate",
				reason = "Pacing is a token bucket now: a sustained rate, and a burst while Slack accepts.",
				since = "0.1.0")
		public Duration getPeriod() {
			return this.period;
		}

		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setPeriod(Duration period) {
			this.period = period;
		}

	}

	/**
	 * Storm digest: breakers that trip while their channel is backed up are told together.
	 */
	public static class Digest {

		/**
		 * Whether breakers that trip during a storm are gathered into a digest; needs pacing.
		 */
		private boolean enabled = true;

		/**
		 * Backlog, as the time to send it at the paced rate, beyond which tripping breakers go into the digest.
		 */
		private Duration backlog = Duration.ofSeconds(60);

		/**
		 * How often a channel's digest is posted and updated.
		 */
		private Duration interval = Duration.ofSeconds(10);

		/**
		 * Wording of a digest's root: title and colour, with the placeholder {count}.
		 */
		private final TemplateProperties openedTemplate = new TemplateProperties();

		/**
		 * Wording of a digest's recovery: title and colour, with the placeholder {count}.
		 */
		private final TemplateProperties recoveredTemplate = new TemplateProperties();

		public TemplateProperties getOpenedTemplate() {
			return this.openedTemplate;
		}

		public TemplateProperties getRecoveredTemplate() {
			return this.recoveredTemplate;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getBacklog() {
			return this.backlog;
		}

		public void setBacklog(Duration backlog) {
			this.backlog = backlog;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * A channel for the circuit breakers whose names match.
	 */
	public static class Route {

		/**
		 * Name patterns of the circuit breakers posted to this channel, '*' matching any characters.
		 */
		private List<String> circuitBreakers = new ArrayList<>();

		/**
		 * ID of the channel these circuit breakers post to.
		 */
		private String channel;

		public List<String> getCircuitBreakers() {
			return this.circuitBreakers;
		}

		public void setCircuitBreakers(List<String> circuitBreakers) {
			this.circuitBreakers = circuitBreakers;
		}

		public String getChannel() {
			return this.channel;
		}

		public void setChannel(String channel) {
			this.channel = channel;
		}

	}

	/**
	 * Which circuit breakers are announced.
	 */
	public static class CircuitBreakers {

		/**
		 * Name patterns of the circuit breakers to announce, '*' matching any characters. All when empty.
		 */
		private List<String> include = new ArrayList<>();

		/**
		 * Name patterns of the circuit breakers never to announce, '*' matching any characters.
		 */
		private List<String> exclude = new ArrayList<>();

		public List<String> getInclude() {
			return this.include;
		}

		public void setInclude(List<String> include) {
			this.include = include;
		}

		public List<String> getExclude() {
			return this.exclude;
		}

		public void setExclude(List<String> exclude) {
			this.exclude = exclude;
		}

	}

	/**
	 * How the listener delivers: {@code fluxgate.slack.mode}.
	 */
	public enum Mode {

		/** The caller never waits; messages go through per-breaker lanes. */
		ASYNC,

		/** The caller waits for its own message, within {@code fluxgate.slack.timeout}. */
		SYNC

	}

	/**
	 * Where the open threads are kept: {@code fluxgate.slack.store}.
	 */
	public enum Store {

		/** In this process's memory. */
		MEMORY,

		/** In the application's Redis, shared by its replicas and kept across restarts. */
		REDIS

	}

	/**
	 * The Redis thread store, with store=redis.
	 */
	public static class Redis {

		/**
		 * Prefix of every key the starter writes, in braces as the keys' Redis Cluster hash tag. Defaults to
		 * "fluxgate:slack:" followed by spring.application.name, or "fluxgate:slack" when that is not set.
		 */
		private String keyPrefix;

		/**
		 * How long a thread with no activity is kept.
		 */
		private Duration threadTtl = Duration.ofDays(7);

		/**
		 * Longest one store operation may take.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		/**
		 * How often a replica renews its membership of the failure cycles it is in. A replica that misses three
		 * heartbeats is gone: when it was the last in a cycle, a live replica ends that cycle's thread.
		 */
		private Duration heartbeat = Duration.ofSeconds(10);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getThreadTtl() {
			return this.threadTtl;
		}

		public void setThreadTtl(Duration threadTtl) {
			this.threadTtl = threadTtl;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getHeartbeat() {
			return this.heartbeat;
		}

		public void setHeartbeat(Duration heartbeat) {
			this.heartbeat = heartbeat;
		}

	}

	/**
	 * Buttons on each thread's root that act on its breaker, over Socket Mode.
	 */
	public static class Actions {

		/**
		 * Whether the root of each thread carries buttons to acknowledge, silence, force open, close and reset its
		 * breaker. Needs fluxgate.slack.app-token and at least one of allowed-users or allowed-groups.
		 */
		private boolean enabled;

		/**
		 * Slack user IDs (U… or W…) that may act from the buttons.
		 */
		private Set<String> allowedUsers = new LinkedHashSet<>();

		/**
		 * Slack user-group IDs (S…) whose members may act from the buttons. Needs the usergroups:read scope.
		 */
		private Set<String> allowedGroups = new LinkedHashSet<>();

		/**
		 * How long the members of an allowed user group are kept before they are read again.
		 */
		private Duration groupMembersTtl = Duration.ofMinutes(1);

		/**
		 * How often a replica reconciles its breakers with the actions recorded, in case it missed one.
		 */
		private Duration reconcileInterval = Duration.ofSeconds(30);

		private final Socket socket = new Socket();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Set<String> getAllowedUsers() {
			return this.allowedUsers;
		}

		public void setAllowedUsers(Set<String> allowedUsers) {
			this.allowedUsers = allowedUsers;
		}

		public Set<String> getAllowedGroups() {
			return this.allowedGroups;
		}

		public void setAllowedGroups(Set<String> allowedGroups) {
			this.allowedGroups = allowedGroups;
		}

		public Duration getGroupMembersTtl() {
			return this.groupMembersTtl;
		}

		public void setGroupMembersTtl(Duration groupMembersTtl) {
			this.groupMembersTtl = groupMembersTtl;
		}

		public Duration getReconcileInterval() {
			return this.reconcileInterval;
		}

		public void setReconcileInterval(Duration reconcileInterval) {
			this.reconcileInterval = reconcileInterval;
		}

		public Socket getSocket() {
			return this.socket;
		}

		/**
		 * The Socket Mode connection the clicks arrive on.
		 */
		public static class Socket {

			/**
			 * How often a ping is sent on the connection.
			 */
			private Duration pingInterval = Duration.ofSeconds(30);

			/**
			 * How long a connection may go without a frame before it is replaced.
			 */
			private Duration idleTimeout = Duration.ofSeconds(90);

			/**
			 * First wait before a connection is opened again; it doubles, with jitter, up to max-backoff.
			 */
			private Duration initialBackoff = Duration.ofSeconds(1);

			/**
			 * Longest wait before a connection is opened again.
			 */
			private Duration maxBackoff = Duration.ofSeconds(60);

			public Duration getPingInterval() {
				return this.pingInterval;
			}

			public void setPingInterval(Duration pingInterval) {
				this.pingInterval = pingInterval;
			}

			public Duration getIdleTimeout() {
				return this.idleTimeout;
			}

			public void setIdleTimeout(Duration idleTimeout) {
				this.idleTimeout = idleTimeout;
			}

			public Duration getInitialBackoff() {
				return this.initialBackoff;
			}

			public void setInitialBackoff(Duration initialBackoff) {
				this.initialBackoff = initialBackoff;
			}

			public Duration getMaxBackoff() {
				return this.maxBackoff;
			}

			public void setMaxBackoff(Duration maxBackoff) {
				this.maxBackoff = maxBackoff;
			}

		}

	}

}
