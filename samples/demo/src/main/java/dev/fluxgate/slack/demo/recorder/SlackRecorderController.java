package dev.fluxgate.slack.demo.recorder;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A Slack-compatible stand-in for the Web API methods the starter calls, answering as Slack does: with {@code ok},
 * {@code ts} and Slack's error codes. {@code apps.connections.open} hands out a link to the {@link SocketModeStandIn}.
 */
@RestController
@ConditionalOnBooleanProperty("demo.recorder.enabled")
class SlackRecorderController {

	private final SlackRecorder recorder;

	private final SocketModeStandIn socketMode;

	SlackRecorderController(SlackRecorder recorder, SocketModeStandIn socketMode) {
		this.recorder = recorder;
		this.socketMode = socketMode;
	}

	@PostMapping("/slack-api/chat.postMessage")
	Answer postMessage(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestBody PostMessage message) {
		if (!authorized(authorization)) {
			return Answer.error("not_authed");
		}
		if (message.channel() == null || message.channel().isBlank()) {
			return Answer.error("channel_not_found");
		}
		SlackRecorder.RecordedMessage recorded = this.recorder.post(message.channel(), message.text(),
				message.attachments(), message.threadTs(), Boolean.TRUE.equals(message.replyBroadcast()));
		return new Answer(true, recorded.channel(), recorded.ts(), null);
	}

	@PostMapping("/slack-api/chat.update")
	Answer update(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestBody Update update) {
		if (!authorized(authorization)) {
			return Answer.error("not_authed");
		}
		SlackRecorder.RecordedMessage edited = this.recorder.update(update.channel(), update.ts(), update.text(),
				update.attachments());
		return (edited != null) ? new Answer(true, edited.channel(), edited.ts(), null)
				: Answer.error("message_not_found");
	}

	@PostMapping("/slack-api/auth.test")
	AuthTest authTest(@RequestHeader(name = "Authorization", required = false) String authorization) {
		if (!authorized(authorization)) {
			return new AuthTest(false, "invalid_auth", null, null, null, null, null, null);
		}
		return new AuthTest(true, null, "http://localhost/", "fluxgate demo", "circuit-breaker-alerts",
				DemoWorkspace.TEAM_ID, "U0FLUXGATE", "B0FLUXGATE");
	}

	@PostMapping("/slack-api/chat.postEphemeral")
	Ephemeral postEphemeral(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestBody PostEphemeral message) {
		if (!authorized(authorization)) {
			return new Ephemeral(false, "not_authed", null);
		}
		if (message.channel() == null || message.channel().isBlank()) {
			return new Ephemeral(false, "channel_not_found", null);
		}
		if (message.user() == null || message.user().isBlank()) {
			return new Ephemeral(false, "user_not_in_channel", null);
		}
		SlackRecorder.RecordedEphemeral recorded = this.recorder.postEphemeral(message.channel(), message.user(),
				message.text(), message.threadTs());
		return new Ephemeral(true, null, recorded.ts());
	}

	@PostMapping("/slack-api/usergroups.users.list")
	Mono<Members> usergroupMembers(@RequestHeader(name = "Authorization", required = false) String authorization,
			ServerWebExchange exchange) {
		if (!authorized(authorization)) {
			return Mono.just(new Members(false, "not_authed", null));
		}
		return exchange.getFormData().map((form) -> DemoWorkspace.GROUP_ID.equals(form.getFirst("usergroup"))
				? new Members(true, null, List.of(DemoWorkspace.USER_ID)) : new Members(false, "no_such_subteam", null));
	}

	@PostMapping("/slack-api/apps.connections.open")
	ConnectionsOpen openConnection(@RequestHeader(name = "Authorization", required = false) String authorization,
			ServerWebExchange exchange) {
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			return new ConnectionsOpen(false, "not_authed", null);
		}
		if (!("Bearer " + SocketModeStandIn.APP_TOKEN).equals(authorization)) {
			// A bot token here is Slack's not_allowed_token_type; any other is invalid
			return new ConnectionsOpen(false,
					authorization.startsWith("Bearer xox") ? "not_allowed_token_type" : "invalid_auth", null);
		}
		String url = UriComponentsBuilder.fromUri(exchange.getRequest().getURI())
			.scheme("ws")
			.replacePath(SocketModeStandIn.PATH)
			.replaceQuery(null)
			.queryParam("ticket", this.socketMode.ticket())
			.toUriString();
		return new ConnectionsOpen(true, null, url);
	}

	@GetMapping("/recorder/ephemerals")
	List<SlackRecorder.RecordedEphemeral> ephemerals() {
		return this.recorder.ephemerals();
	}

	@GetMapping("/recorder/messages")
	List<SlackRecorder.RecordedMessage> messages() {
		return this.recorder.messages();
	}

	private static boolean authorized(String authorization) {
		return authorization != null && authorization.startsWith("Bearer xox");
	}

	record PostMessage(String channel, String text, JsonNode attachments, @JsonProperty("thread_ts") String threadTs,
			@JsonProperty("reply_broadcast") Boolean replyBroadcast) {
	}

	record Update(String channel, String ts, String text, JsonNode attachments) {
	}

	record PostEphemeral(String channel, String user, String text, @JsonProperty("thread_ts") String threadTs) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record AuthTest(boolean ok, String error, String url, String team, String user, @JsonProperty("team_id") String teamId,
			@JsonProperty("user_id") String userId, @JsonProperty("bot_id") String botId) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Ephemeral(boolean ok, String error, @JsonProperty("message_ts") String messageTs) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Members(boolean ok, String error, List<String> users) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ConnectionsOpen(boolean ok, String error, String url) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Answer(boolean ok, String channel, String ts, String error) {

		static Answer error(String code) {
			return new Answer(false, null, null, code);
		}

	}

}
