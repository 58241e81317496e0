package dev.fluxgate.slack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Slack app manifest the README offers as the first step of the Slack setup: a bot user allowed to post.
 */
class SlackAppManifestTests {

	private static final Path MANIFEST = Path.of("..", "docs", "slack-app-manifest.yml");

	@Test
	@SuppressWarnings("unchecked")
	void manifestCreatesTheBotWithTheScopesTheListenerNeeds() throws IOException {
		Map<String, Object> manifest;
		try (Reader reader = Files.newBufferedReader(MANIFEST)) {
			manifest = new Yaml().load(reader);
		}
		assertThat(path(manifest, "display_information", "name")).isEqualTo("Circuit Breaker Alerts");
		assertThat(path(manifest, "features", "bot_user", "display_name")).isEqualTo("Circuit Breaker Alerts");
		assertThat((List<String>) path(manifest, "oauth_config", "scopes", "bot"))
			.containsExactlyInAnyOrder("chat:write", "chat:write.public", "usergroups:read");
	}

	@Test
	void manifestTurnsOnSocketModeAndInteractivityForTheButtons() throws IOException {
		Map<String, Object> manifest;
		try (Reader reader = Files.newBufferedReader(MANIFEST)) {
			manifest = new Yaml().load(reader);
		}
		assertThat(path(manifest, "settings", "socket_mode_enabled")).isEqualTo(true);
		assertThat(path(manifest, "settings", "interactivity", "is_enabled")).isEqualTo(true);
	}

	@SuppressWarnings("unchecked")
	private static Object path(Map<String, Object> yaml, String... keys) {
		Object node = yaml;
		for (String key : keys) {
			assertThat(node).as("manifest has %s", key).isInstanceOf(Map.class);
			node = ((Map<String, Object>) node).get(key);
		}
		return node;
	}

}
