package dev.fluxgate.slack.demo.recorder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The page's clicks on a message's buttons, sent as Slack sends them: a {@code block_actions} payload in an
 * {@code interactive} envelope on the app's Socket Mode link, from {@link DemoWorkspace#USER_ID}.
 */
@RestController
@ConditionalOnBooleanProperty("demo.recorder.enabled")
class SlackClickController {

	// Slack tells the user that the app did not answer after about 3 s
	private static final Duration ACK_DEADLINE = Duration.ofSeconds(3);

	private static final Logger terminal = LoggerFactory.getLogger("slack");

	private final SlackRecorder recorder;

	private final SocketModeStandIn socketMode;

	SlackClickController(SlackRecorder recorder, SocketModeStandIn socketMode) {
		this.recorder = recorder;
		this.socketMode = socketMode;
	}

	@PostMapping("/demo/slack/click")
	Mono<ResponseEntity<ClickAnswer>> click(@RequestBody Click click) {
		if (click.channel() == null || click.ts() == null || click.actionId() == null) {
			return Mono.just(ResponseEntity.badRequest()
				.body(ClickAnswer.error("a click needs the message's channel and ts, and the button's actionId")));
		}
		SlackRecorder.RecordedMessage message = this.recorder.find(click.channel(), click.ts());
		terminal.info("#{} {} clicked \"{}\"", click.channel(), DemoWorkspace.USER_ID,
				(click.label() != null) ? click.label() : click.actionId());
		return this.socketMode.deliver("interactive", payload(click, message), ACK_DEADLINE)
			.map((delivery) -> delivery.acknowledged()
					? ResponseEntity.ok(new ClickAnswer(delivery.envelopeId(), true,
							delivery.ackedAfter().toMillis(), null))
					: ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
						.body(new ClickAnswer(delivery.envelopeId(), false, null,
								"The app did not acknowledge the click within 3 s: Slack would show an error")))
			.defaultIfEmpty(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.body(ClickAnswer.error("No Socket Mode connection: is fluxgate.slack.actions.enabled on?")));
	}

	private static BlockActions payload(Click click, SlackRecorder.RecordedMessage message) {
		Instant now = Instant.now();
		String actionTs = now.getEpochSecond() + "." + String.format("%06d", now.getNano() / 1000);
		return new BlockActions("block_actions", new Team(DemoWorkspace.TEAM_ID, "fluxgate-demo"),
				new User(DemoWorkspace.USER_ID, "demo", "demo", DemoWorkspace.TEAM_ID), SocketModeStandIn.APP_ID,
				new Container("message", click.ts(), click.channel(), false),
				"demo." + UUID.randomUUID(), new Channel(click.channel(), "alerts"),
				(message != null) ? new Message("message", message.ts(), message.text(), message.attachments())
						: null,
				List.of(new Action("button", click.actionId(), (click.blockId() != null) ? click.blockId()
						: "fluxgate_actions", (click.label() != null) ? new Text("plain_text", click.label()) : null,
						click.value(), actionTs)));
	}

	/**
	 * A click in the page.
	 *
	 * @param channel the message's channel
	 * @param ts the message's timestamp
	 * @param blockId the button's block
	 * @param actionId the button's action id
	 * @param value the button's value, passed back unchanged
	 * @param label the button's label
	 */
	record Click(String channel, String ts, String blockId, String actionId, String value, String label) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ClickAnswer(String envelopeId, boolean acknowledged, Long ackMillis, String error) {

		static ClickAnswer error(String error) {
			return new ClickAnswer(null, false, null, error);
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record BlockActions(String type, Team team, User user, @JsonProperty("api_app_id") String apiAppId,
			Container container, @JsonProperty("trigger_id") String triggerId, Channel channel, Message message,
			List<Action> actions) {
	}

	record Team(String id, String domain) {
	}

	record User(String id, String username, String name, @JsonProperty("team_id") String teamId) {
	}

	record Container(String type, @JsonProperty("message_ts") String messageTs,
			@JsonProperty("channel_id") String channelId, @JsonProperty("is_ephemeral") boolean ephemeral) {
	}

	record Channel(String id, String name) {
	}

	record Message(String type, String ts, String text, JsonNode attachments) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Action(String type, @JsonProperty("action_id") String actionId, @JsonProperty("block_id") String blockId,
			Text text, String value, @JsonProperty("action_ts") String actionTs) {
	}

	record Text(String type, String text) {
	}

}
