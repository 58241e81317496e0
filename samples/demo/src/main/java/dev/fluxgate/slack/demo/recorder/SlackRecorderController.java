package dev.fluxgate.slack.demo.recorder;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Slack-compatible stand-in for the three Web API methods the starter calls, answering as Slack does: with
 * {@code ok}, {@code ts} and Slack's error codes.
 */
@RestController
@ConditionalOnBooleanProperty("demo.recorder.enabled")
class SlackRecorderController {

	private final SlackRecorder recorder;

	SlackRecorderController(SlackRecorder recorder) {
		this.recorder = recorder;
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
		return new Answer(true, recorded.channel(), recorded.ts(), null, null, null, null);
	}

	@PostMapping("/slack-api/chat.update")
	Answer update(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestBody Update update) {
		if (!authorized(authorization)) {
			return Answer.error("not_authed");
		}
		SlackRecorder.RecordedMessage edited = this.recorder.update(update.channel(), update.ts(), update.text(),
				update.attachments());
		return (edited != null) ? new Answer(true, edited.channel(), edited.ts(), null, null, null, null)
				: Answer.error("message_not_found");
	}

	@PostMapping("/slack-api/auth.test")
	Answer authTest(@RequestHeader(name = "Authorization", required = false) String authorization) {
		if (!authorized(authorization)) {
			return Answer.error("invalid_auth");
		}
		return new Answer(true, null, null, null, "http://localhost/", "fluxgate demo", "circuit-breaker-alerts");
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

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Answer(boolean ok, String channel, String ts, String error, String url, String team, String user) {

		static Answer error(String code) {
			return new Answer(false, null, null, code, null, null, null);
		}

	}

}
