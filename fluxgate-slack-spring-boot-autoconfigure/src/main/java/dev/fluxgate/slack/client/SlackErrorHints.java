package dev.fluxgate.slack.client;

import java.util.Map;

/**
 * What to do about Slack's error codes, from the fluxgate troubleshooting guide.
 */
public final class SlackErrorHints {

	private static final String TOKEN = "the bot token is wrong or revoked: copy the Bot User OAuth Token (xoxb-…) "
			+ "from OAuth & Permissions into SLACK_BOT_TOKEN";

	private static final Map<String, String> HINTS = Map.ofEntries(Map.entry("invalid_auth", TOKEN),
			Map.entry("not_authed", "no token was sent: set SLACK_BOT_TOKEN or fluxgate.slack.token"),
			Map.entry("token_revoked", TOKEN), Map.entry("token_expired", TOKEN),
			Map.entry("account_inactive", TOKEN),
			Map.entry("missing_scope",
					"add the chat:write bot scope under OAuth & Permissions, then reinstall the app to the workspace"),
			Map.entry("no_permission",
					"add the chat:write bot scope under OAuth & Permissions, then reinstall the app to the workspace"),
			Map.entry("not_in_channel", "invite the bot to the channel: /invite @YourApp"),
			Map.entry("channel_not_found",
					"the channel ID is wrong: copy it from the channel details, for example C1234567890"),
			Map.entry("is_archived", "the channel is archived: unarchive it or choose another channel"),
			Map.entry("msg_too_long", "the message is too long: shorten the templates"),
			Map.entry("invalid_blocks", "Slack rejected the message blocks: check the templates"));

	private SlackErrorHints() {
	}

	/**
	 * Return what to do about an error code.
	 * @param error Slack's error code
	 * @return the hint, or {@code null} when there is none
	 */
	public static String hintFor(String error) {
		return (error != null) ? HINTS.get(error) : null;
	}

}
