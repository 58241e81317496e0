package dev.fluxgate.slack;

import java.util.List;
import java.util.Map;

import dev.fluxgate.slack.SlackStandIn.Post;
import dev.fluxgate.slack.event.Transition;
import dev.fluxgate.slack.message.Template;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fluxgate way of changing the messages, a subclass overriding {@code transitionTemplates()} and
 * {@code fallbackTemplate()}, with templates the subclass is given, as an ordinary Java class keeps them: in fields.
 */
class SubclassTemplatesTests {

	@RegisterExtension
	static final SlackStandIn slack = new SlackStandIn();

	@Test
	void subclassGivenItsTemplatesInItsConstructorPostsThem() {
		Template down = new Template("Down", "#000000", "{name} broke.");
		Template other = new Template("Changed", "#808080", "{name} changed.");
		SlackListener listener = new LocalisedSlackListener(slack.baseUrl(),
				Map.of(Transition.of(State.CLOSED, State.OPEN), down), other);
		CircuitBreaker circuitBreaker = CircuitBreaker.ofDefaults("payment");
		listener.bindTo(circuitBreaker);
		circuitBreaker.transitionToOpenState();
		circuitBreaker.transitionToHalfOpenState();
		List<Post> posts = slack.posts();
		assertThat(posts).extracting(Post::title).containsExactly("Down", "Changed");
	}

	static class LocalisedSlackListener extends SlackListener {

		private final Map<Transition, Template> transitions;

		private final Template fallback;

		LocalisedSlackListener(String baseUrl, Map<Transition, Template> transitions, Template fallback) {
			super(SlackListener.builder().channel(SlackStandIn.CHANNEL).token(SlackStandIn.TOKEN).baseUrl(baseUrl));
			this.transitions = transitions;
			this.fallback = fallback;
		}

		@Override
		protected Map<Transition, Template> transitionTemplates() {
			return this.transitions;
		}

		@Override
		protected Template fallbackTemplate() {
			return this.fallback;
		}

	}

}
