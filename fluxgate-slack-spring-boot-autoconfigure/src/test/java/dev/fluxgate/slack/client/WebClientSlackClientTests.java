package dev.fluxgate.slack.client;

import java.time.Duration;
import java.util.List;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.client.ChatPostMessage.Attachment;
import dev.fluxgate.slack.client.ChatPostMessage.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How the WebClient Slack client talks to Slack and reads its answers, over real HTTP.
 */
class WebClientSlackClientTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private final WebClientSlackClient client = WebClientSlackClient.builder()
		.token(SlackStandIn.TOKEN)
		.baseUrl(slack.baseUrl())
		.timeout(Duration.ofMillis(800))
		.build();

	private final ChatPostMessage message = new ChatPostMessage(SlackStandIn.CHANNEL, "hi",
			List.of(new Attachment("#FF4C4C", List.of(Block.section("*hi*")))), null, null);

	@Test
	void postsJsonWithBearerToken() {
		SlackResponse answer = this.client.postMessage(this.message).block();
		assertThat(answer.ok()).isTrue();
		assertThat(answer.ts()).startsWith("1700000000.");
		assertThat(answer.channel()).isEqualTo(SlackStandIn.CHANNEL);
		SlackStandIn.Post post = slack.posts().get(0);
		assertThat(post.header("Authorization")).isEqualTo("Bearer " + SlackStandIn.TOKEN);
		assertThat(post.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
		assertThat(post.rawBody()).isEqualTo("{\"channel\":\"C0123456789\",\"text\":\"hi\",\"attachments\":"
				+ "[{\"color\":\"#FF4C4C\",\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*hi*\"}}]}]}");
	}

	@Test
	void okFalseCarriesSlacksCodeAndHint() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.error("not_in_channel")));
		assertThatExceptionOfType(SlackApiException.class).isThrownBy(() -> this.client.postMessage(this.message).block())
			.satisfies((ex) -> {
				assertThat(ex.getError()).isEqualTo("not_in_channel");
				assertThat(ex.getKind()).isEqualTo(SlackApiException.Kind.PERMANENT);
				assertThat(ex.getMessage()).contains("/invite @YourApp");
			});
	}

	@Test
	void rateLimitIsTransientWithRetryAfter() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));
		assertThatExceptionOfType(SlackApiException.class).isThrownBy(() -> this.client.postMessage(this.message).block())
			.satisfies((ex) -> {
				assertThat(ex.getKind()).isEqualTo(SlackApiException.Kind.TRANSIENT);
				assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
			});
	}

	@Test
	void serverErrorsAndInternalErrorsMayHavePostedSoTheyAreRetriedOnceAtMost() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(aResponse().withStatus(503)));
		assertThat(failure().getKind()).isEqualTo(SlackApiException.Kind.RETRY_ONCE);
		assertThat(failure().getError()).isEqualTo("http_503");
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.error("internal_error")));
		assertThat(failure().getKind()).isEqualTo(SlackApiException.Kind.RETRY_ONCE);
	}

	@Test
	void rateLimitIsTransient() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.error("ratelimited")));
		assertThat(failure().getKind()).isEqualTo(SlackApiException.Kind.TRANSIENT);
	}

	@Test
	void fatalErrorMayBeRetriedOnce() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.error("fatal_error")));
		assertThat(failure().getKind()).isEqualTo(SlackApiException.Kind.RETRY_ONCE);
	}

	@Test
	void htmlAnswerIsMalformed() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "text/html")
				.withBody("<html><body>Proxy login</body></html>")));
		assertMalformed("content type text/html");
	}

	@Test
	void emptyAnswerIsMalformed() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")));
		assertMalformed("empty");
	}

	@Test
	void truncatedJsonIsMalformed() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"ok\":true,\"ts\":\"17")));
		assertMalformed("not a Slack answer");
	}

	@Test
	void okWithoutTsIsMalformed() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"ok\":true}")));
		assertMalformed("ok:true without ts");
	}

	@Test
	void wrongContentTypeIsMalformed() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "text/plain")
				.withBody("{\"ok\":true,\"ts\":\"1.2\"}")));
		assertMalformed("text/plain");
	}

	@Test
	void successWithWarningIsDelivered() {
		slack.stub(SlackStandIn.postMessage()
			.atPriority(1)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"ok\":true,\"ts\":\"1.2\",\"warning\":\"missing_charset\"}")));
		assertThat(this.client.postMessage(this.message).block().ts()).isEqualTo("1.2");
	}

	@Test
	void slowAnswerTimesOutAsUncertainBecauseTheRequestWasSent() {
		slack.stub(SlackStandIn.postMessage().atPriority(1).willReturn(SlackStandIn.ok().withFixedDelay(3000)));
		SlackApiException ex = failure();
		assertThat(ex.getError()).isEqualTo("timeout");
		assertThat(ex.getKind()).isEqualTo(SlackApiException.Kind.RETRY_ONCE);
	}

	@Test
	void unreachableSlackIsTransient() {
		WebClientSlackClient unreachable = WebClientSlackClient.builder()
			.token(SlackStandIn.TOKEN)
			.baseUrl("http://127.0.0.1:1/api")
			.build();
		assertThatExceptionOfType(SlackApiException.class).isThrownBy(() -> unreachable.postMessage(this.message).block())
			.satisfies((ex) -> {
				assertThat(ex.getError()).isEqualTo("connect_error");
				assertThat(ex.getKind()).isEqualTo(SlackApiException.Kind.TRANSIENT);
				assertThat(ex.getMessage()).doesNotContain(SlackStandIn.TOKEN);
			});
	}

	@Test
	void tokenIsNeverShown() {
		assertThat(this.client.toString()).doesNotContain(SlackStandIn.TOKEN).contains("******");
		assertThat(WebClientSlackClient.builder().token(SlackStandIn.TOKEN).toString())
			.doesNotContain(SlackStandIn.TOKEN);
	}

	@Test
	void badSettingsAreRefusedWithTheFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> WebClientSlackClient.builder().build())
			.withMessageContaining("SLACK_BOT_TOKEN");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebClientSlackClient.builder().token("xoxb-x").baseUrl("slack.com").build())
			.withMessageContaining("'slack.com'")
			.withMessageContaining("https://slack.com/api");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebClientSlackClient.builder().token("xoxb-x").timeout(Duration.ofSeconds(-1)).build())
			.withMessageContaining("PT-1S");
	}

	private SlackApiException failure() {
		try {
			this.client.postMessage(this.message).block();
		}
		catch (SlackApiException ex) {
			return ex;
		}
		throw new AssertionError("expected a SlackApiException");
	}

	private void assertMalformed(String detail) {
		SlackApiException ex = failure();
		assertThat(ex.getError()).isEqualTo("malformed_response");
		assertThat(ex.getKind()).isEqualTo(SlackApiException.Kind.PERMANENT);
		assertThat(ex.getMessage()).contains(detail);
	}

	@Test
	void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
		assertThat(HttpHeaderValues.retryAfter(java.util.List.of("30"))).isEqualTo(java.time.Duration.ofSeconds(30));
		String inTenSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
			.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(10));
		assertThat(HttpHeaderValues.retryAfter(java.util.List.of(inTenSeconds)))
			.isBetween(java.time.Duration.ofSeconds(8), java.time.Duration.ofSeconds(10));
		assertThat(HttpHeaderValues.retryAfter(java.util.List.of("soon"))).isEqualTo(java.time.Duration.ofSeconds(1));
	}

	@Test
	void builderRefusesPlainHttpOffLoopbackCredentialsInTheUrlAndHexLookingHostNames() {
		for (String url : new String[] { "http://slack.example.com/api", "http://cafe/api", "http://10.0.0.1/api",
				"https://user:secret@slack.com/api" }) {
			org.assertj.core.api.Assertions
				.assertThatIllegalArgumentException()
				.isThrownBy(() -> WebClientSlackClient.builder().token("xoxb-test").baseUrl(url).build())
				.withMessageNotContaining("secret");
		}
		for (String url : new String[] { "http://localhost:8080/api", "http://127.0.0.1:1/api", "http://127.1.2.3/api",
				"http://[::1]:8080/api", "https://slack.com/api" }) {
			assertThat(WebClientSlackClient.builder().token("xoxb-test").baseUrl(url).build()).isNotNull();
		}
	}

}
