package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AbstractSlackListener;
import dev.fluxgate.slack.actuate.Boot3SlackHealthIndicator;
import dev.fluxgate.slack.actuate.DeliveryStatus;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configuration of the {@code slack} health indicator on Spring Boot 3, whose health API lives in
 * {@code org.springframework.boot.actuate.health}. On Spring Boot 4 {@link FluxgateSlackHealthAutoConfiguration} is
 * used instead, so each Boot line gets exactly one indicator.
 */
@AutoConfiguration(after = FluxgateSlackAutoConfiguration.class)
@ConditionalOnClass(name = Boot3SlackHealthIndicator.HEALTH_INDICATOR)
@ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(AbstractSlackListener.class)
@Conditional(FluxgateSlackBoot3HealthAutoConfiguration.OnSlackHealthEnabled.class)
@Import(FluxgateSlackBoot3HealthAutoConfiguration.Registrar.class)
public final class FluxgateSlackBoot3HealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeliveryStatus slackDeliveryStatus() {
		return new DeliveryStatus();
	}

	/**
	 * Registers the indicator with Boot 3's {@code HealthIndicator} as its type, so that the health endpoint finds it.
	 */
	static class Registrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware, BeanClassLoaderAware {

		private BeanFactory beanFactory;

		private ClassLoader classLoader;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			if (registry.containsBeanDefinition("slackHealthIndicator")) {
				return;
			}
			BeanFactory beans = this.beanFactory;
			ClassLoader loader = this.classLoader;
			@SuppressWarnings("unchecked")
			Class<Object> type = (Class<Object>) Boot3SlackHealthIndicator.type(loader);
			RootBeanDefinition definition = new RootBeanDefinition(type, () -> Boot3SlackHealthIndicator.create(loader,
					beans.getBean(DeliveryStatus.class), beans.getBean(AbstractSlackListener.class).getChannel()));
			registry.registerBeanDefinition("slackHealthIndicator", definition);
		}

	}

	/**
	 * Matches unless {@code management.health.slack.enabled}, or else {@code management.health.defaults.enabled}, is
	 * false: Boot 3's {@code @ConditionalOnEnabledHealthIndicator}, which this starter cannot name.
	 */
	static class OnSlackHealthEnabled extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			Boolean enabled = environment.getProperty("management.health.slack.enabled", Boolean.class);
			if (enabled == null) {
				enabled = environment.getProperty("management.health.defaults.enabled", Boolean.class, true);
			}
			return enabled ? ConditionOutcome.match("the slack health indicator is enabled")
					: ConditionOutcome.noMatch("management.health.slack.enabled or defaults.enabled is false");
		}

	}

}
