package dev.fluxgate.slack;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs external programs, such as Chromium or {@code redis-server}. Where one is missing or
 * not executable the tests are skipped, JUnit's report saying what to install; with
 * {@code -Dfluxgate.tests.require-tools=true}, which CI passes, they fail instead, so CI never skips them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RequiredProgramsCondition.class)
public @interface RequiresPrograms {

	/**
	 * The programs, as absolute paths.
	 * @return the paths
	 */
	String[] value();

	/**
	 * How to install them, such as {@code chromium and chromedriver (Debian: apt-get install chromium chromium-driver)}.
	 * @return the install hint
	 */
	String install();

}
