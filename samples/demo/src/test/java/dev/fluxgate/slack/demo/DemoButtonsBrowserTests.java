package dev.fluxgate.slack.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.fluxgate.slack.RequiresPrograms;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The root's buttons in a real browser, clicked as Slack's user would: each click travels as an {@code interactive}
 * envelope over the demo's own Socket Mode link to the starter, which forces the breaker open, echoes it in the
 * thread and redraws the root with <em>Close</em>; <em>Close</em> ends the cycle. The root's screenshot is the
 * closing note's picture.
 */
@RequiresPrograms(value = { "/usr/bin/chromium", "/usr/bin/chromedriver" },
		install = "chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
		properties = { "demo.autopilot.enabled=false",
				// No recovery attempt while the test clicks: the buttons keep their version until a click changes it
				"resilience4j.circuitbreaker.instances.payment-api.wait-duration-in-open-state=5m" })
class DemoButtonsBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String ROOT = "#timeline .message:first-child";

	private static final int PORT = FreePort.find();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry properties) {
		properties.add("server.port", () -> PORT);
	}

	@Test
	void forceOpenThenCloseFromTheRootsButtons() throws Exception {
		try (DemoPage page = new DemoPage("http://localhost:" + this.port + "/")) {
			page.click(By.id("break"), WAIT);
			page.waitFor(button("fluxgate_force_open"), Duration.ofSeconds(40));
			assertThat(labels(page)).contains("Acknowledge", "Silence 30 min", "Silence 2 h",
					"Silence until recovered", "Force open", "Reset");
			assertThat(page.findAll(button("fluxgate_force_open")).get(0).getAttribute("class")).contains("danger");

			page.click(button("fluxgate_acknowledge"), WAIT);
			page.waitFor(By.xpath("//*[@id='timeline']/div[1]//*[contains(@class, 'context')]"
					+ "[contains(., 'Acknowledged by @U0DEMO')]"), WAIT);
			page.waitFor(button("fluxgate_unacknowledge"), WAIT);
			page.screenshot(root(page), Path.of("target", "demo-buttons.png"));

			page.click(button("fluxgate_force_open"), WAIT);
			WebElement dialog = page.waitFor(By.cssSelector("#confirm:not([hidden])"), WAIT);
			assertThat(dialog.findElement(By.id("confirm-title")).getText()).isEqualTo("Force open?");
			assertThat(dialog.findElement(By.id("confirm-ok")).getText()).isEqualTo("Force open");
			page.click(By.id("confirm-ok"), WAIT);

			await().atMost(WAIT).until(() -> "FORCED_OPEN".equals(breakerState()));
			page.waitFor(reply("forced payment-api open on 1 instance"), WAIT);
			page.waitFor(button("fluxgate_close"), WAIT);
			assertThat(page.findAll(button("fluxgate_force_open"))).isEmpty();
			assertThat(page.findAll(By.id("status")).get(0).getText()).contains("FORCED_OPEN");
			page.screenshot(root(page), Path.of("target", "demo-buttons-forced-open.png"));

			page.click(By.id("fix"), WAIT);
			page.click(button("fluxgate_close"), WAIT);
			assertThat(page.waitFor(By.cssSelector("#confirm:not([hidden]) #confirm-title"), WAIT).getText())
				.isEqualTo("Close?");
			page.click(By.id("confirm-ok"), WAIT);

			await().atMost(WAIT).until(() -> "CLOSED".equals(breakerState()));
			page.waitFor(reply("closed payment-api on 1 instance"), WAIT);
			await().atMost(WAIT).untilAsserted(() -> assertThat(page.findAll(By.cssSelector(ROOT + " .actions")))
				.as("the buttons are gone once the cycle ends").isEmpty());
			page.screenshot(Path.of("target", "demo-buttons-page.png"));
		}
	}

	private static By button(String actionId) {
		return By.cssSelector(ROOT + " button[data-action-id='" + actionId + "']");
	}

	private static By reply(String text) {
		return By.xpath("//*[@id='thread']//*[contains(@class, 'message')][contains(., '" + text + "')]");
	}

	private static WebElement root(DemoPage page) {
		return page.findAll(By.cssSelector(ROOT)).get(0);
	}

	private static List<String> labels(DemoPage page) {
		return page.findAll(By.cssSelector(ROOT + " .actions button")).stream().map(WebElement::getText).toList();
	}

	private String breakerState() {
		JsonNode breakers = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.get()
			.uri("/actuator/circuitbreakers")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		return breakers.path("circuitBreakers").path("payment-api").path("state").asString();
	}

}
