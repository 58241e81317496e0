package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.action.BlockActions;
import dev.fluxgate.slack.client.AuthTestResponse;
import dev.fluxgate.slack.client.ChatPostEphemeral;
import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.client.ConnectionsOpenResponse;
import dev.fluxgate.slack.client.SlackResponse;
import dev.fluxgate.slack.client.UsergroupUsers;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints a native image needs: every Web API record WebClient's codecs write or read, nested ones too.
 */
class FluxgateSlackRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	FluxgateSlackRuntimeHintsTests() {
		new FluxgateSlackRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void requestsAreWrittenByReflection() {
		for (Class<?> type : new Class<?>[] { ChatPostMessage.class, ChatPostMessage.Attachment.class,
				ChatPostMessage.Block.class, ChatPostMessage.TextObject.class, ChatUpdate.class }) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ChatPostMessage.class, "threadTs"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ChatPostMessage.TextObject.class, "text"))
			.accepts(this.hints);
	}

	@Test
	void theButtonsAndTheSocketModeFramesAreWrittenAndReadByReflection() {
		for (Class<?> type : new Class<?>[] { ChatPostMessage.Button.class, ChatPostMessage.Confirm.class,
				ChatPostEphemeral.class, UsergroupUsers.class, ConnectionsOpenResponse.class, BlockActions.class,
				BlockActions.Action.class, BlockActions.Container.class }) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of("dev.fluxgate.slack.socket.SocketModeClient$Frame"))).accepts(this.hints);
	}

	@Test
	void answersAreReadByReflection() {
		assertThat(RuntimeHintsPredicates.reflection().onType(SlackResponse.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(AuthTestResponse.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AuthTestResponse.class, "url"))
			.accepts(this.hints);
	}

	@Test
	void autoConfigurationImportsTheHints() {
		assertThat(FluxgateSlackAutoConfiguration.class.getAnnotation(ImportRuntimeHints.class).value())
			.containsExactly(FluxgateSlackRuntimeHints.class);
	}

}
