package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.client.AuthTestResponse;
import dev.fluxgate.slack.client.ChatPostMessage;
import dev.fluxgate.slack.client.ChatUpdate;
import dev.fluxgate.slack.client.SlackResponse;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a native image needs to know of the starter: the typed Web API requests and answers that WebClient's Jackson
 * codecs write and read by reflection, nested records included.
 */
class FluxgateSlackRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		this.bindings.registerReflectionHints(hints.reflection(), ChatPostMessage.class, ChatUpdate.class,
				SlackResponse.class, AuthTestResponse.class);
	}

}
