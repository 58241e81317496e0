package dev.fluxgate.slack;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.event.TransitionSnapshot;
import dev.fluxgate.slack.message.DefaultMessageRenderer;
import dev.fluxgate.slack.message.MessageRenderer;
import dev.fluxgate.slack.message.Template;
import dev.fluxgate.slack.message.Templates;
import dev.fluxgate.slack.thread.ThreadRules;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Messages as the fluxgate reference renders them, and the ways to change them.
 */
class CustomMessagesTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Test
	void rendersTheReferencePayload() {
		TransitionSnapshot snapshot = new TransitionSnapshot("payment_api", Transition.of(State.CLOSED, State.OPEN),
				Instant.parse("2026-11-25T09:30:05Z"));
		ChatPostMessage message = new DefaultMessageRenderer().render(snapshot,
				Templates.defaults().forTransition(snapshot.transition()), "C1", new ThreadRules.Step(null, false, true, false));
		assertThat(message.channel()).isEqualTo("C1");
		assertThat(message.text()).isEqualTo("🚨 Circuit Breaker Triggered: payment_api");
		assertThat(message.threadTs()).isNull();
		assertThat(message.replyBroadcast()).isNull();
		ChatPostMessage.Attachment attachment = message.attachments().get(0);
		assertThat(attachment.color()).isEqualTo("#FF4C4C");
		assertThat(attachment.blocks().get(0).text().text()).isEqualTo("*🚨 Circuit Breaker Triggered*");
		assertThat(attachment.blocks().get(1).fields()).extracting(ChatPostMessage.TextObject::text)
			.containsExactly("*Circuit Breaker:*\npayment_api", "*State Transition:*\nCLOSED → OPEN",
					"*Transition Time:*\n<!date^1795599005^{date_short_pretty} {time_secs}|2026-11-25 09:30:05 UTC>",
					"*Description:*\nThe request failure rate exceeded the threshold.");
	}

	@Test
	void escapesNamesAndTemplatesSoNobodyIsPinged() {
		TransitionSnapshot snapshot = new TransitionSnapshot("<!channel> & <@U1>",
				Transition.of(State.CLOSED, State.OPEN), Instant.EPOCH);
		ChatPostMessage message = new DefaultMessageRenderer().render(snapshot,
				new Template("<!here> tripped", "#FF4C4C", "a > b"), "C1", new ThreadRules.Step(null, false, true, false));
		assertThat(message.text()).isEqualTo("&lt;!here&gt; tripped: &lt;!channel&gt; &amp; &lt;@U1&gt;");
		assertThat(message.attachments().get(0).blocks().get(1).fields().get(3).text()).endsWith("a &gt; b");
		assertThat(message.toString()).doesNotContain("<!channel>").doesNotContain("<!here>");
	}

	@Test
	void koreanSubclassPostsItsOwnTemplates() {
		SlackListener listener = new KoreanSlackListener(slack.baseUrl());
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment_api");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		circuitBreaker.transitionToClosedState();
		circuitBreaker.transitionToDisabledState();
		List<Post> posts = slack.posts();
		assertThat(posts).extracting(Post::title)
			.containsExactly("🚨 서킷 브레이커 작동", "🔄 서킷 브레이커 복구 시도 중", "⚠️ 서킷 브레이커 재작동", "🔄 서킷 브레이커 복구 시도 중",
					"✅ 서킷 브레이커 복구됨", "ℹ️ 서킷 브레이커 상태 변경");
		assertThat(posts.get(4).description()).isEqualTo("테스트 요청이 성공하여 서비스가 정상입니다.");
		assertThat(posts.get(4).color()).isEqualTo("#36a64f");
	}

	@Test
	void templatesPassedInReplaceTheDefaults() {
		Templates templates = Templates.defaults()
			.with(Transition.of(State.CLOSED, State.OPEN), new Template("Down", "#000000", "It broke."));
		SlackListener listener = slack.configure(SlackListener.builder())
			.templates(templates)
			.build();
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		assertThat(slack.posts()).extracting(Post::title).containsExactly("Down", "🔄 Attempting Circuit Breaker Recovery");
	}

	@Test
	void templatesRefuseWhatSlackWouldNot() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Template("t", "red", "d"))
			.withMessageContaining("'red'")
			.withMessageContaining("#FF4C4C");
		assertThatIllegalArgumentException().isThrownBy(() -> Transition.parse("closed-to-opened"))
			.withMessageContaining("closed-to-opened")
			.withMessageContaining("half-open");
		assertThat(Transition.parse("half-open-to-closed")).isEqualTo(Transition.of(State.HALF_OPEN, State.CLOSED));
		assertThat(Transition.of(State.CLOSED, State.FORCED_OPEN).key()).isEqualTo("closed-to-forced-open");
	}

	/** The seed's KoreanSlackListener, ported as it is written there: a subclass overriding the templates. */
	static class KoreanSlackListener extends SlackListener {

		KoreanSlackListener(String baseUrl) {
			super(SlackListener.builder().channel(SlackStandIn.CHANNEL).token(SlackStandIn.TOKEN).baseUrl(baseUrl));
		}

		@Override
		protected Map<Transition, Template> transitionTemplates() {
			Map<Transition, Template> templates = new LinkedHashMap<>();
			templates.put(Transition.of(State.CLOSED, State.OPEN),
					new Template("🚨 서킷 브레이커 작동", "#FF4C4C", "요청 실패율이 임계값을 초과했습니다."));
			templates.put(Transition.of(State.OPEN, State.HALF_OPEN),
					new Template("🔄 서킷 브레이커 복구 시도 중", "#FFA500", "부분 요청으로 서비스 상태를 테스트하고 있습니다."));
			templates.put(Transition.of(State.HALF_OPEN, State.OPEN),
					new Template("⚠️ 서킷 브레이커 재작동", "#FF4C4C", "테스트 요청이 실패하여 열림 상태로 복귀합니다."));
			templates.put(Transition.of(State.HALF_OPEN, State.CLOSED),
					new Template("✅ 서킷 브레이커 복구됨", "#36a64f", "테스트 요청이 성공하여 서비스가 정상입니다."));
			return templates;
		}

		@Override
		protected Template fallbackTemplate() {
			return new Template("ℹ️ 서킷 브레이커 상태 변경", "#808080", "서킷 브레이커 상태가 변경되었습니다.");
		}

	}

}
