package dev.fluxgate.slack.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.ClassUtils;

/**
 * The connector of the Slack client: the one Boot's HTTP client support would build (the library chosen with
 * {@code spring.http.clients.reactive.connector}, its customizers, timeouts and SSL), with redirects turned off. A
 * redirect would carry the bot token to another host, and Boot follows redirects by default.
 */
final class NoRedirectConnector {

	private static final String HTTP_CLIENT_SETTINGS = "org.springframework.boot.http.client.HttpClientSettings";

	private NoRedirectConnector() {
	}

	/**
	 * Build the connector.
	 * @param beanFactory where Boot's connector builder and settings are found
	 * @param classLoader the application's class loader
	 * @return a connector that follows no redirect, or {@code null} to use the client's default, Reactor Netty,
	 * which follows none either, when Boot 4's HTTP client support is absent (Boot 3.5, no spring-boot-webclient)
	 */
	static ClientHttpConnector of(BeanFactory beanFactory, ClassLoader classLoader) {
		return isBoot4(classLoader) ? Boot4.connector(beanFactory) : null;
	}

	/**
	 * Whether Boot 4's HTTP client support is there: Boot 3.5 has a class of the same name with another API.
	 */
	private static boolean isBoot4(ClassLoader classLoader) {
		if (!ClassUtils.isPresent(HTTP_CLIENT_SETTINGS, classLoader)) {
			return false;
		}
		try {
			return ClassUtils.hasMethod(ClassUtils.forName(HTTP_CLIENT_SETTINGS, classLoader), "defaults");
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	private static final class Boot4 {

		@SuppressWarnings("unchecked")
		static ClientHttpConnector connector(BeanFactory beanFactory) {
			ClientHttpConnectorBuilder<?> builder = beanFactory.getBeanProvider(ClientHttpConnectorBuilder.class)
				.getIfAvailable(ClientHttpConnectorBuilder::detect);
			HttpClientSettings settings = beanFactory.getBeanProvider(HttpClientSettings.class)
				.getIfAvailable(HttpClientSettings::defaults);
			return builder.build(settings.withRedirects(HttpRedirects.DONT_FOLLOW));
		}

	}

}
