package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.SlackListener;
import dev.fluxgate.slack.action.ActionSettings;
import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.DeliveryObserver;
import dev.fluxgate.slack.delivery.RetryPolicy;
import dev.fluxgate.slack.delivery.SharedPace;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.resilience4j.ChannelRouter;
import dev.fluxgate.slack.resilience4j.CircuitBreakerNameFilter;
import dev.fluxgate.slack.storm.DigestStore;
import dev.fluxgate.slack.thread.InMemoryThreadStore;
import dev.fluxgate.slack.thread.ThreadStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration that posts every Resilience4j circuit-breaker transition to Slack, one thread per failure
 * cycle.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration" })
@ConditionalOnClass({ WebClient.class, CircuitBreaker.class })
@ConditionalOnBooleanProperty(name = "fluxgate.slack.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FluxgateSlackProperties.class)
@ImportRuntimeHints(FluxgateSlackRuntimeHints.class)
public final class FluxgateSlackAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnSlackConfiguredCondition.class)
	static class SlackListenerConfiguration {

		private final SlackSettings settings;

		private final FluxgateSlackProperties properties;

		SlackListenerConfiguration(FluxgateSlackProperties properties, Environment environment,
				ResourceLoader resourceLoader) {
			this.properties = properties;
			this.settings = SlackSettings.resolve(properties, environment, resourceLoader.getClassLoader());
		}

		@Bean
		@ConditionalOnMissingBean(SlackClient.class)
		WebClientSlackClient slackClient(ObjectProvider<WebClient.Builder> webClientBuilder,
				BeanFactory beanFactory, ResourceLoader resourceLoader) {
			return WebClientSlackClient.builder()
				.token(this.settings.token())
				.baseUrl(this.properties.getBaseUrl())
				.timeout(this.properties.getTimeout())
				.webClientBuilder(webClientBuilder.getIfAvailable())
				.connector(NoRedirectConnector.of(beanFactory, resourceLoader.getClassLoader()))
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(Templates.class)
		Templates slackTemplates() {
			return this.settings.templates();
		}

		@Bean
		@ConditionalOnMissingBean(ThreadStore.class)
		InMemoryThreadStore slackThreadStore() {
			return new InMemoryThreadStore();
		}

		@Bean
		@ConditionalOnMissingBean(MessageRenderer.class)
		MessageRenderer slackMessageRenderer(ThreadStore threadStore) {
			return new DefaultMessageRenderer(this.properties.getMention(),
					threadStore.isShared() ? this.settings.instanceId() : null);
		}


		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(AbstractSlackListener.class)
		@ConditionalOnProperty(name = "fluxgate.slack.mode", havingValue = "async", matchIfMissing = true)
		AsyncSlackListener asyncSlackListener(SlackClient client, Templates templates, ThreadStore threadStore,
				MessageRenderer renderer, RetryPolicy retryPolicy, ChannelRouter channelRouter,
				CircuitBreakerNameFilter circuitBreakerFilter, ObjectProvider<ChannelPacer> pacer,
				ObjectProvider<DeliveryObserver> observers, ObjectProvider<ActionSettings> actions,
				ObjectProvider<DigestStore> digestStore) {
			return configure(AsyncSlackListener.builder(), client, templates, threadStore, renderer,
					new Collaborators(retryPolicy, channelRouter, circuitBreakerFilter, pacer.getIfAvailable(),
							actions.getIfAvailable()),
					observers)
				.queueCapacity(this.properties.getQueueCapacity())
				.coalescing(this.properties.getCoalescing().isEnabled())
				.coalescingAfter(this.properties.getCoalescing().getAfter())
				.digest(this.properties.getDigest().isEnabled() ? this.properties.getDigest().getBacklog() : null,
						this.properties.getDigest().getInterval())
				.digestStore(digestStore.getIfAvailable())
				.closeTimeout(this.properties.getShutdownTimeout())
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(AbstractSlackListener.class)
		@ConditionalOnProperty(name = "fluxgate.slack.mode", havingValue = "sync")
		SlackListener slackListener(SlackClient client, Templates templates, ThreadStore threadStore,
				MessageRenderer renderer, RetryPolicy retryPolicy, ChannelRouter channelRouter,
				CircuitBreakerNameFilter circuitBreakerFilter, ObjectProvider<ChannelPacer> pacer,
				ObjectProvider<DeliveryObserver> observers, ObjectProvider<ActionSettings> actions) {
			return configure(SlackListener.builder(), client, templates, threadStore, renderer,
					new Collaborators(retryPolicy, channelRouter, circuitBreakerFilter, pacer.getIfAvailable(),
							actions.getIfAvailable()),
					observers)
				.deadline(this.properties.getTimeout())
				.build();
		}

		@Bean
		@ConditionalOnBooleanProperty("fluxgate.slack.verify-on-startup")
		SlackStartupVerifier slackStartupVerifier(AbstractSlackListener listener) {
			return new SlackStartupVerifier(listener.authTest(), this.settings.channel(), this.properties.getTimeout(),
					this.properties.isFailOnStartupError());
		}

		@Bean
		@ConditionalOnMissingBean(RetryPolicy.class)
		RetryPolicy slackRetryPolicy() {
			return this.settings.retryPolicy();
		}

		@Bean
		@ConditionalOnMissingBean(ChannelRouter.class)
		ChannelRouter slackChannelRouter() {
			return this.settings.channelRouter();
		}

		@Bean
		@ConditionalOnMissingBean(CircuitBreakerNameFilter.class)
		CircuitBreakerNameFilter slackCircuitBreakerFilter() {
			FluxgateSlackProperties.CircuitBreakers circuitBreakers = this.properties.getCircuitBreakers();
			return new CircuitBreakerNameFilter(circuitBreakers.getInclude(), circuitBreakers.getExclude());
		}

		@Bean
		@ConditionalOnMissingBean(ChannelPacer.class)
		@ConditionalOnBooleanProperty(name = "fluxgate.slack.pacing.enabled", matchIfMissing = true)
		ChannelPacer slackChannelPacer(ObjectProvider<SharedPace> sharedPace) {
			ChannelPacer pacer = this.settings.pacer();
			SharedPace shared = sharedPace.getIfAvailable();
			return (shared != null) ? pacer.sharedBy(shared) : pacer;
		}

		private <B extends AbstractSlackListener.Builder<B>> B configure(B builder, SlackClient client,
				Templates templates, ThreadStore threadStore, MessageRenderer renderer, Collaborators collaborators,
				ObjectProvider<DeliveryObserver> observers) {
			return builder.channel(this.settings.channel())
				.client(client)
				.templates(templates)
				.threadStore(threadStore)
				.renderer(renderer)
				.retryPolicy(collaborators.retryPolicy())
				.channelRouter(collaborators.channelRouter())
				.timeout(this.properties.getTimeout())
				.updateRoot(this.properties.isUpdateRoot())
				.pacer(collaborators.pacer())
				.actions(collaborators.actions())
				.observer(DeliveryObserver.of(observers.orderedStream().toList()))
				.circuitBreakerFilter(collaborators.circuitBreakerFilter())
				.fleet(this.settings.instanceId(), this.properties.getRedis().getHeartbeat());
		}

		/**
		 * The listener's replaceable collaborators, gathered so that both listeners take them alike.
		 */
		private record Collaborators(RetryPolicy retryPolicy, ChannelRouter channelRouter,
				CircuitBreakerNameFilter circuitBreakerFilter, ChannelPacer pacer, ActionSettings actions) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnSlackConfiguredCondition.class)
	static class SlackBinderConfiguration {

		@Bean
		@ConditionalOnMissingBean(SlackCircuitBreakerBinder.class)
		SlackCircuitBreakerBinder slackCircuitBreakerBinder(ObjectProvider<AbstractSlackListener> listener,
				ObjectProvider<CircuitBreakerRegistry> registries) {
			return new SlackCircuitBreakerBinder(listener, registries);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class SlackTokenSanitizingConfiguration {

		@Bean
		SanitizingFunction slackTokenSanitizingFunction(FluxgateSlackProperties properties, Environment environment) {
			return new SlackTokenSanitizingFunction(SlackSettings.token(properties, environment),
					SlackSettings.appToken(properties, environment));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnSlackConfiguredCondition.Not.class)
	static class SlackNotConfiguredConfiguration {

		@Bean
		SmartInitializingSingleton slackNotConfiguredReport() {
			return () -> LoggerFactory.getLogger(FluxgateSlackAutoConfiguration.class)
				.info("Circuit-breaker transitions are not posted to Slack: set SLACK_BOT_TOKEN and SLACK_CHANNEL_ID "
						+ "(or fluxgate.slack.token and fluxgate.slack.channel) to turn it on");
		}

	}

}
