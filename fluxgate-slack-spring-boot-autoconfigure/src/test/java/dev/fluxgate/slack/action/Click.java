package dev.fluxgate.slack.action;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.fluxgate.slack.SlackStandIn;
import dev.fluxgate.slack.socket.Envelope;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A click on a thread's button as Slack delivers it over Socket Mode: a {@code block_actions} payload in an
 * {@code interactive} envelope.
 *
 * @param envelopeId the envelope's id
 * @param team the workspace of the user who clicked
 * @param app the app the button belongs to
 * @param user the user who clicked
 * @param channel the channel of the root
 * @param rootTs the root's {@code ts}
 * @param actionId the button's {@code action_id}
 * @param value the button's value
 */
public record Click(String envelopeId, String team, String app, String user, String channel, String rootTs,
		String actionId, String value) {

	/** The app the tests' Socket Mode connections belong to. */
	public static final String APP = "A0FLUXGATE";

	/** The stand-in's workspace, as its {@code auth.test} answers. */
	public static final String TEAM = "T1";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Click a button of a root posted to the stand-in, as an allowed user of this workspace and app.
	 * @param user the user
	 * @param root the root message, as the stand-in received it
	 * @param action the button
	 * @return the click
	 */
	public static Click on(String user, SlackStandIn.Post root, BreakerAction action) {
		return new Click(UUID.randomUUID().toString(), TEAM, APP, user, root.channel(), root.ts(), action.actionId(),
				root.buttonValue());
	}

	public Click withValue(String value) {
		return new Click(this.envelopeId, this.team, this.app, this.user, this.channel, this.rootTs, this.actionId,
				value);
	}

	public Click withTeam(String team) {
		return new Click(this.envelopeId, team, this.app, this.user, this.channel, this.rootTs, this.actionId,
				this.value);
	}

	public Click withApp(String app) {
		return new Click(this.envelopeId, this.team, app, this.user, this.channel, this.rootTs, this.actionId,
				this.value);
	}

	public Click withActionId(String actionId) {
		return new Click(this.envelopeId, this.team, this.app, this.user, this.channel, this.rootTs, actionId,
				this.value);
	}

	/** The {@code block_actions} payload. */
	public JsonNode payload() {
		return JSON.valueToTree(Map.of("type", "block_actions", "team", Map.of("id", this.team), "user",
				Map.of("id", this.user, "username", "someone"), "api_app_id", this.app, "container",
				Map.of("type", "message", "message_ts", this.rootTs, "channel_id", this.channel), "channel",
				Map.of("id", this.channel), "actions", List.of(Map.of("type", "button", "action_id", this.actionId,
						"block_id", ActionButtons.BLOCK_ID, "value", String.valueOf(this.value)))));
	}

	/** The envelope carrying it. */
	public Envelope envelope() {
		return new Envelope(this.envelopeId, "interactive", payload(), false);
	}

	/** The envelope as Slack sends it over the socket. */
	public String json() {
		return JSON.writeValueAsString(Map.of("envelope_id", this.envelopeId, "type", "interactive", "payload",
				payload(), "accepts_response_payload", false));
	}

}
