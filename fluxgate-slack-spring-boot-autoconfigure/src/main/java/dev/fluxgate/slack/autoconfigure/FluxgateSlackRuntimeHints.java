package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.action.BlockActions;
import dev.fluxgate.slack.client.AuthTestResponse;
import dev.fluxgate.slack.client.ChatPostEphemeral;
import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.client.ConnectionsOpenResponse;
import dev.fluxgate.slack.client.SlackResponse;
import dev.fluxgate.slack.client.UsergroupUsers;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What a native image needs to know of the starter: the typed Web API requests and answers that WebClient's Jackson
 * codecs write and read by reflection, nested records included, and the Socket Mode frames and click payloads.
 */
class FluxgateSlackRuntimeHints implements RuntimeHintsRegistrar {

	private static final String[] SOCKET_FRAMES = { "dev.fluxgate.slack.socket.SocketModeClient$Frame",
			"dev.fluxgate.slack.socket.SocketModeClient$Ack" };

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		this.bindings.registerReflectionHints(hints.reflection(), ChatPostMessage.class, ChatUpdate.class,
				SlackResponse.class, AuthTestResponse.class, ChatPostMessage.Button.class, ChatPostMessage.Confirm.class,
				ChatPostEphemeral.class, UsergroupUsers.class, ConnectionsOpenResponse.class, BlockActions.class);
		for (String frame : SOCKET_FRAMES) {
			this.bindings.registerReflectionHints(hints.reflection(), ClassUtils.resolveClassName(frame, classLoader));
		}
	}

}
