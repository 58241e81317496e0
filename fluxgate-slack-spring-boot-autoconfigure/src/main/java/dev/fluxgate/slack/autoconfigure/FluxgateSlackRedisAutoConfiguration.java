package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.action.ActionStore;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.delivery.SharedPace;
import dev.fluxgate.slack.redis.RedisActionStore;
import dev.fluxgate.slack.redis.RedisDigestStore;
import dev.fluxgate.slack.redis.RedisSharedPace;
import dev.fluxgate.slack.redis.RedisThreadStore;
import dev.fluxgate.slack.storm.DigestStore;
import dev.fluxgate.slack.thread.FallbackThreadStore;
import dev.fluxgate.slack.thread.ThreadStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The Redis thread store, with {@code fluxgate.slack.store=redis}: the open threads are kept in the application's
 * Redis, auto-configured by Spring Boot from {@code spring.data.redis.*}. When Redis fails or is slower than
 * {@code fluxgate.slack.redis.timeout}, this process's memory keeps the threads and the message is still delivered.
 * The replicas also share each channel's pace there, so that the fleet as a whole keeps to Slack's limit.
 */
@AutoConfiguration(before = FluxgateSlackAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration" })
@ConditionalOnClass(ReactiveStringRedisTemplate.class)
@ConditionalOnProperty(name = "fluxgate.slack.store", havingValue = "redis")
@Conditional(OnSlackConfiguredCondition.class)
@EnableConfigurationProperties(FluxgateSlackProperties.class)
public final class FluxgateSlackRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ThreadStore.class)
	FallbackThreadStore slackThreadStore(ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory,
			FluxgateSlackProperties properties, Environment environment, ObjectProvider<DeliveryObserver> observers) {
		FluxgateSlackProperties.Redis redis = properties.getRedis();
		RedisThreadStore store = new RedisThreadStore(template(connectionFactory),
				SlackSettings.keyPrefix(properties, environment),
				redis.getThreadTtl(), redis.getTimeout());
		return new FallbackThreadStore(store, () -> DeliveryObserver.of(observers.orderedStream().toList()));
	}

	@Bean
	@ConditionalOnMissingBean(SharedPace.class)
	@ConditionalOnBooleanProperty(name = "fluxgate.slack.pacing.enabled", matchIfMissing = true)
	RedisSharedPace slackSharedPace(ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory,
			FluxgateSlackProperties properties, Environment environment) {
		return new RedisSharedPace(template(connectionFactory), SlackSettings.keyPrefix(properties, environment),
				properties.getRedis().getTimeout());
	}

	/**
	 * Keep one storm digest per channel for the fleet, so that a storm is told once rather than once per replica.
	 * @param connectionFactory the application's reactive Redis connection
	 * @param properties the properties
	 * @param environment the environment, for the key prefix
	 * @return the store
	 */
	@Bean
	@ConditionalOnMissingBean(DigestStore.class)
	@ConditionalOnBooleanProperty(name = "fluxgate.slack.digest.enabled", matchIfMissing = true)
	RedisDigestStore slackDigestStore(ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory,
			FluxgateSlackProperties properties, Environment environment) {
		FluxgateSlackProperties.Redis redis = properties.getRedis();
		return new RedisDigestStore(template(connectionFactory), SlackSettings.keyPrefix(properties, environment),
				redis.getThreadTtl(), redis.getTimeout());
	}

	/**
	 * Keep the actions taken from the threads' buttons in Redis and tell them to every replica.
	 * @param connectionFactory the application's reactive Redis connection
	 * @param properties the properties
	 * @param environment the environment, for the key prefix
	 * @return the store, closed with the context
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(ActionStore.class)
	@ConditionalOnBooleanProperty("fluxgate.slack.actions.enabled")
	RedisActionStore slackActionStore(ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory,
			FluxgateSlackProperties properties, Environment environment) {
		FluxgateSlackProperties.Redis redis = properties.getRedis();
		return new RedisActionStore(template(connectionFactory), SlackSettings.keyPrefix(properties, environment),
				redis.getThreadTtl(), redis.getTimeout());
	}

	/**
	 * Close the listener before Redis stops: Boot stops the Lettuce connection factory, a lifecycle bean of phase 0,
	 * before it destroys beans, so the listener's own close would find Redis gone and keep the messages still pending
	 * at shutdown in memory.
	 */
	@Bean
	SmartLifecycle slackListenerBeforeRedisStops(ObjectProvider<AbstractSlackListener> listener) {
		return new SmartLifecycle() {

			private volatile boolean running;

			@Override
			public void start() {
				this.running = true;
			}

			@Override
			public void stop() {
				this.running = false;
				listener.ifAvailable(AbstractSlackListener::close);
			}

			@Override
			public boolean isRunning() {
				return this.running;
			}

			@Override
			public int getPhase() {
				return 1024;
			}

		};
	}

	private static ReactiveStringRedisTemplate template(
			ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory) {
		ReactiveRedisConnectionFactory factory = connectionFactory.getIfAvailable();
		if (factory == null) {
			throw new InvalidSlackPropertyException("fluxgate.slack.store", "\"redis\"",
					"there is no ReactiveRedisConnectionFactory to keep the threads in",
					"Add spring-boot-starter-data-redis-reactive and point spring.data.redis.* at your Redis, or set "
							+ "fluxgate.slack.store=memory.");
		}
		return new ReactiveStringRedisTemplate(factory);
	}

}
