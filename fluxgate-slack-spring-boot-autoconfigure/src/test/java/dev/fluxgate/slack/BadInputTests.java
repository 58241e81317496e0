package dev.fluxgate.slack;

import java.util.List;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.message.SlackText;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names and templates nobody planned for: they reach Slack intact, within its limits, and ping nobody.
 */
class BadInputTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	private SlackListener listener(Templates templates) {
		return slack.configure(SlackListener.builder())
			.templates(templates)
			.build();
	}

	@Test
	void mentionsAndMarkupInNamesAndTemplatesPingNobody() {
		Templates templates = Templates.defaults()
			.with(Transition.of(State.CLOSED, State.OPEN),
					new Template("<!channel> <@U1> <!subteam^S1> tripped", "#FF4C4C", "see <https://evil|here> & *now*"));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("<!here> *pay_ments* ~x~ `y`");
		listener(templates).bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		Post post = slack.posts().get(0);
		assertThat(post.rawBody()).doesNotContain("<!channel>", "<@U1>", "<!subteam", "<!here>", "<https://evil");
		assertThat(post.text()).isEqualTo("&lt;!channel&gt; &lt;@U1&gt; &lt;!subteam^S1&gt; tripped: "
				+ "&lt;!here&gt; *pay_ments* ~x~ `y`");
		assertThat(post.description()).isEqualTo("see &lt;https://evil|here&gt; &amp; *now*");
	}

	@Test
	void emojiAndNonAsciiArriveIntact() {
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("결제-API 💳 zahlungsdienst-ü");
		listener(Templates.defaults()).bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		Post post = slack.posts().get(0);
		assertThat(post.circuitBreaker()).isEqualTo("결제-API 💳 zahlungsdienst-ü");
		assertThat(post.title()).isEqualTo("🚨 Circuit Breaker Triggered");
		assertThat(post.header("Content-Type")).containsIgnoringCase("charset=UTF-8");
	}

	@Test
	void longNamesAndDescriptionsAreCutToSlacksLimits() {
		String name = "n".repeat(5000);
		Templates templates = Templates.defaults()
			.with(Transition.of(State.CLOSED, State.OPEN),
					new Template("t".repeat(4000), "#FF4C4C", "&".repeat(3000)));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults(name);
		listener(templates).bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		Post post = slack.posts().get(0);
		assertThat(post.ts()).isNotNull();
		assertThat(post.section()).hasSize(SlackText.SECTION_LIMIT).endsWith("…");
		assertThat(post.text()).hasSize(SlackText.TEXT_LIMIT).endsWith("…");
		for (int field = 0; field < 4; field++) {
			assertThat(post.field(field).length()).isLessThanOrEqualTo(SlackText.FIELD_LIMIT);
		}
		assertThat(post.field(0)).endsWith("…");
		assertThat(post.field(3)).as("never cut inside &amp;").endsWith("&amp;…");
	}

	@Test
	void truncationKeepsCharactersWhole() {
		assertThat(SlackText.truncate("ab💳cd", 4)).isEqualTo("ab…");
		assertThat(SlackText.truncate("abc&lt;def", 6)).isEqualTo("abc…");
		assertThat(SlackText.truncate("short", 10)).isEqualTo("short");
	}

	@Test
	void refusedBlocksAreSentAgainAsPlainText() {
		slack.stub(SlackStandIn.postMessage()
			.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.attachments"))
			.atPriority(1)
			.willReturn(SlackStandIn.error("invalid_blocks")));
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		SlackListener listener = listener(Templates.defaults());
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.posts();
		assertThat(posts).hasSize(4);
		Post plain = posts.get(1);
		assertThat(plain.rawBody()).doesNotContain("attachments");
		assertThat(plain.text()).startsWith("🚨 Circuit Breaker Triggered: payment\nCLOSED → OPEN at <!date^")
			.endsWith("The request failure rate exceeded the threshold.");
		assertThat(posts.get(3).threadTs()).as("the plain root starts the thread").isEqualTo(plain.ts());
	}

}
