package dev.fluxgate.slack.actuate;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The {@code slack} health indicator for Spring Boot 3, whose health API ({@code org.springframework.boot.actuate.health})
 * this starter, built against Spring Boot 4, cannot name at compile time: a {@code HealthIndicator} proxy that builds
 * Boot 3's {@code Health} from {@link SlackHealthDetails}.
 */
public final class Boot3SlackHealthIndicator {

	/** Spring Boot 3's health indicator interface. */
	public static final String HEALTH_INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator";

	private static final String HEALTH = "org.springframework.boot.actuate.health.Health";

	private Boot3SlackHealthIndicator() {
	}

	/**
	 * Return Spring Boot 3's {@code HealthIndicator} interface.
	 * @param classLoader the application's class loader
	 * @return the interface
	 */
	public static Class<?> type(ClassLoader classLoader) {
		return ClassUtils.resolveClassName(HEALTH_INDICATOR, classLoader);
	}

	/**
	 * Create the indicator.
	 * @param classLoader the application's class loader, which holds Spring Boot 3's actuator
	 * @param status what deliveries so far showed
	 * @param channel the channel messages are posted to
	 * @return a Spring Boot 3 {@code HealthIndicator}
	 */
	public static Object create(ClassLoader classLoader, DeliveryStatus status, String channel) {
		Class<?> health = ClassUtils.resolveClassName(HEALTH, classLoader);
		Method up = ReflectionUtils.findMethod(health, "up");
		Method down = ReflectionUtils.findMethod(health, "down");
		Class<?> builder = up.getReturnType();
		Method withDetails = ReflectionUtils.findMethod(builder, "withDetails", Map.class);
		Method build = ReflectionUtils.findMethod(builder, "build");
		InvocationHandler handler = (proxy, method, args) -> {
			if (method.getName().equals("health") && method.getParameterCount() == 0) {
				SlackHealthDetails details = SlackHealthDetails.of(status, channel);
				Object started = (details.up() ? up : down).invoke(null);
				return build.invoke(withDetails.invoke(started, details.details()));
			}
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, args);
			}
			return switch (method.getName()) {
				case "toString" -> "Boot3SlackHealthIndicator[channel=" + channel + "]";
				case "hashCode" -> System.identityHashCode(proxy);
				case "equals" -> proxy == args[0];
				default -> throw new UnsupportedOperationException(method.toString());
			};
		};
		return Proxy.newProxyInstance(classLoader, new Class<?>[] { type(classLoader) }, handler);
	}

}
