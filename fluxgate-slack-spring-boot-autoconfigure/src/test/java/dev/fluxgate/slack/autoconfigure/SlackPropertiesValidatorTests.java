package dev.fluxgate.slack.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.fluxgate.slack.SlackStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A setting that cannot work stops startup with the property, its value (never the token) and the fix. No context:
 * the properties are bound as Boot binds them, and checked.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlackPropertiesValidatorTests {

	@Test
	void failsOnABlankChannel() {
		assertThat(failureWith(" ", SlackStandIn.TOKEN).getDescription()).contains("Property: fluxgate.slack.channel")
			.contains("Value: \"\"");
	}

	@Test
	void failsToBindAnUnknownModeNamingThePropertyAndTheValue() {
		assertThat(catchThrowable(() -> properties("fluxgate.slack.mode=fast"))).isInstanceOf(BindException.class)
			.hasMessageContaining("fluxgate.slack.mode")
			.rootCause()
			.hasMessageContaining("fast");
		assertThat(properties("fluxgate.slack.mode=SYNC").getMode()).isEqualTo(FluxgateSlackProperties.Mode.SYNC);
		assertThat(properties("fluxgate.slack.mode=sync").getMode()).isEqualTo(FluxgateSlackProperties.Mode.SYNC);
	}

	@Test
	void failsOnAnUnknownTemplateKey() {
		assertThat(failure("fluxgate.slack.templates.closed-to-opened.title=x")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.templates.closed-to-opened")
				.contains("Value: \"closed-to-opened\"");
			assertThat(analysis.getAction()).contains("half-open-to-closed");
		});
	}

	@Test
	void failsOnAColorThatIsNotHex() {
		assertThat(failure("fluxgate.slack.templates.closed-to-open.color=red")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.templates.closed-to-open.color")
				.contains("Value: \"red\"");
			assertThat(analysis.getAction()).contains("#FF4C4C");
		});
	}

	@Test
	void failsOnANegativeTimeout() {
		assertThat(failure("fluxgate.slack.timeout=-1s").getDescription()).contains("Property: fluxgate.slack.timeout")
			.contains("Value: PT-1S");
	}

	@Test
	void failsOnABaseUrlThatIsNotAUrl() {
		assertThat(failure("fluxgate.slack.base-url=slack api")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.base-url")
				.contains("Value: \"slack api\"");
			assertThat(analysis.getAction()).contains("https://slack.com/api");
		});
	}

	@Test
	void failsOnPlainHttpBeyondLoopback() {
		assertThat(failure("fluxgate.slack.base-url=http://slack.example.com/api").getDescription())
			.contains("unencrypted");
	}

	@Test
	void acceptsPlainHttpOnLoopback() {
		assertThat(catchThrowable(() -> SlackPropertiesValidator.validate(
				properties("fluxgate.slack.base-url=http://localhost:1/api"), SlackStandIn.CHANNEL, SlackStandIn.TOKEN,
				getClass().getClassLoader()))).isNull();
	}

	@Test
	void failsOnAnUnknownPlaceholderListingTheKnownOnes() {
		assertThat(failure("fluxgate.slack.templates.closed-to-open.title={name} at {host}")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.templates.closed-to-open.title")
				.contains("{host}");
			assertThat(analysis.getAction()).contains("{name}")
				.contains("{failureRate}")
				.contains("{failureRateThreshold}")
				.contains("{slowCallRate}")
				.contains("{duration}");
		});
	}

	@Test
	void digestTemplatesKnowOnlyTheCount() {
		assertThat(failure("fluxgate.slack.digest.opened-template.title={count} opened, {name} first"))
			.satisfies((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.digest.opened-template.title")
					.contains("{name}");
				assertThat(analysis.getAction()).contains("[{count}]");
			});
	}

	@Test
	void coalescedTemplateKnowsTheStatesButNotTheNumbers() {
		assertThat(failure("fluxgate.slack.coalescing.template.description={states} at {failureRate}")
			.getDescription()).contains("Property: fluxgate.slack.coalescing.template.description")
			.contains("{failureRate}");
	}

	@Test
	void failsToBindAnUnknownStoreNamingThePropertyAndTheValue() {
		assertThat(catchThrowable(() -> properties("fluxgate.slack.store=postgres"))).isInstanceOf(BindException.class)
			.hasMessageContaining("fluxgate.slack.store")
			.rootCause()
			.hasMessageContaining("postgres");
		assertThat(properties("fluxgate.slack.store=redis").getStore()).isEqualTo(FluxgateSlackProperties.Store.REDIS);
	}

	@Test
	void storeRedisWithoutSpringDataRedisSaysWhatToAdd() {
		Throwable failure = catchThrowable(() -> SlackPropertiesValidator.validate(properties("fluxgate.slack.store=redis"),
				SlackStandIn.CHANNEL, SlackStandIn.TOKEN,
				new FilteredClassLoader("org.springframework.data.redis")));
		assertThat(StartupFailures.analysis(failure)).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.store");
			assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis-reactive");
		});
	}

	@Test
	void acceptsABlankInstanceIdAsTheDefault() {
		SlackPropertiesValidator.validate(properties("fluxgate.slack.store=redis", "fluxgate.slack.instance-id= "),
				SlackStandIn.CHANNEL, SlackStandIn.TOKEN, getClass().getClassLoader());
	}

	@Test
	void failsOnAKeyPrefixWithBraces() {
		assertThat(failure("fluxgate.slack.store=redis", "fluxgate.slack.redis.key-prefix=orders}:x")).satisfies(
				(analysis) -> {
					assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.redis.key-prefix")
						.contains("Value: \"orders}:x\"")
						.contains("hash tag");
					assertThat(analysis.getAction()).contains("Remove { and }");
				});
	}

	@Test
	void failsOnAThreadTtlShorterThanAMinute() {
		assertThat(failure("fluxgate.slack.store=redis", "fluxgate.slack.redis.thread-ttl=10s").getDescription())
			.contains("Property: fluxgate.slack.redis.thread-ttl");
	}

	@Test
	void failsOnAMentionSlackWouldNotResolve() {
		assertThat(failure("fluxgate.slack.mention=@here").getDescription()).contains("Property: fluxgate.slack.mention")
			.contains("Value: \"@here\"");
	}

	@Test
	void failsOnARouteWithoutChannel() {
		assertThat(failure("fluxgate.slack.routes[0].circuit-breakers=payment-*").getDescription())
			.contains("Property: fluxgate.slack.routes[0].channel");
	}

	@Test
	void failsOnAPacingRateThatSendsNothing() {
		assertThat(failure("fluxgate.slack.pacing.enabled=true", "fluxgate.slack.pacing.rate=0")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.pacing.rate").contains("0.0");
			assertThat(analysis.getAction()).contains("default 1.0");
		});
	}

	@Test
	void failsOnAPacingBurstBelowOne() {
		assertThat(failure("fluxgate.slack.pacing.enabled=true", "fluxgate.slack.pacing.burst=0")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.pacing.burst");
			assertThat(analysis.getAction()).contains("default 3");
		});
	}

	@Test
	void deprecatedPacingMessagesPointToTheRate() {
		assertThat(failure("fluxgate.slack.pacing.enabled=true", "fluxgate.slack.pacing.messages=0").getAction())
			.contains("fluxgate.slack.pacing.rate")
			.contains("default 1.0");
	}

	@Test
	void failsOnCoalescingAfterBelowOne() {
		assertThat(failure("fluxgate.slack.coalescing.after=0")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.coalescing.after");
			assertThat(analysis.getAction()).contains("default 4");
		});
	}

	@Test
	void failsOnABaseUrlWithCredentialsWithoutShowingThem() {
		assertThat(failure("fluxgate.slack.base-url=https://alerts:hunter2@slack.com/api")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.base-url")
				.contains("credentials")
				.doesNotContain("hunter2");
			assertThat(analysis.getAction()).contains("without credentials");
		});
	}

	@Test
	void failsOnADigestIntervalThatWouldSpinTheScheduler() {
		assertThat(failure("fluxgate.slack.digest.interval=1ns")).satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: fluxgate.slack.digest.interval")
				.contains("at least 1000ms");
			assertThat(analysis.getAction()).contains("10s");
		});
	}

	@Test
	void warnsOnceAboutTokensThatAreNotBotTokens(CapturedOutput output) {
		SlackPropertiesValidator.validate(properties(), SlackStandIn.CHANNEL, "xoxp-user-token",
				getClass().getClassLoader());
		assertThat(output).containsOnlyOnce("does not start with xoxb-").doesNotContain("xoxp-user-token");
	}

	private FluxgateSlackProperties properties(String... properties) {
		Map<String, String> source = new LinkedHashMap<>();
		for (String property : properties) {
			String[] nameAndValue = property.split("=", 2);
			source.put(nameAndValue[0], nameAndValue[1]);
		}
		return new Binder(new MapConfigurationPropertySource(source)).bindOrCreate("fluxgate.slack",
				FluxgateSlackProperties.class);
	}

	private FailureAnalysis failure(String... properties) {
		return failureWith(SlackStandIn.CHANNEL, SlackStandIn.TOKEN, properties);
	}

	private FailureAnalysis failureWith(String channel, String token, String... properties) {
		Throwable failure = catchThrowable(() -> SlackPropertiesValidator.validate(properties(properties), channel,
				token, getClass().getClassLoader()));
		return StartupFailures.analysis(failure);
	}

}
