package dev.fluxgate.slack.message;

import java.util.List;

import dev.fluxgate.slack.client.ChatPostMessage.Block;

/**
 * Slack blocks cut to Slack's limits.
 */
final class Blocks {

	private Blocks() {
	}

	static Block section(String text) {
		return Block.section(SlackText.truncate(text, SlackText.SECTION_LIMIT));
	}

	static Block fields(List<String> fields) {
		return Block.fields(fields.stream().map((field) -> SlackText.truncate(field, SlackText.FIELD_LIMIT)).toList());
	}

}
