package dev.fluxgate.slack.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.fluxgate.slack.RequiresPrograms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo page in a real browser: after the autopilot's cycle it shows the root with its title and colour bar, the
 * replies in its thread, and the recovery also in the channel. Its screenshot is the README's picture. A browser
 * that goes away while the page polls leaves no error in the demo's log.
 */
@ExtendWith(OutputCaptureExtension.class)
@RequiresPrograms(value = { "/usr/bin/chromium", "/usr/bin/chromedriver" },
		install = "chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
		properties = { "demo.autopilot.break-after=1s", "demo.autopilot.fix-after=4s",
				"resilience4j.circuitbreaker.instances.payment-api.wait-duration-in-open-state=1s" })
class DemoPageBrowserTests {

	@LocalServerPort
	private int port;

	private static final int PORT = FreePort.find();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry properties) {
		properties.add("server.port", () -> PORT);
	}

	@Test
	void pageShowsTheCycleAsASlackThread() throws Exception {
		try (DemoPage page = new DemoPage("http://localhost:" + this.port + "/")) {
			page.waitFor(By.xpath("//*[@id='timeline']//*[contains(text(), 'Recovered after')]"), Duration.ofSeconds(40));
			await().pollDelay(Duration.ofSeconds(1)).until(() -> true);

			WebElement root = page.findAll(By.cssSelector("#timeline .message")).get(0);
			assertThat(root.findElement(By.cssSelector(".section b")).getText())
				.startsWith("🚨 Circuit Breaker Triggered — ✅ Recovered after");
			assertThat(root.findElement(By.cssSelector(".bar")).getCssValue("background-color"))
				.isEqualTo("rgba(54, 166, 79, 1)");
			assertThat(root.getText()).contains("Circuit Breaker:", "payment-api", "State Transition:",
					"CLOSED → OPEN", "Transition Time:", "Description:", "Failure Rate:", "(edited)");
			assertThat(root.findElement(By.cssSelector(".replies")).getText()).matches("\\d+ replies");

			List<WebElement> replies = page.findAll(By.cssSelector("#thread .message"));
			assertThat(replies).hasSizeGreaterThanOrEqualTo(4);
			assertThat(replies.stream().map(WebElement::getText).toList())
				.anyMatch((text) -> text.contains("Attempting Circuit Breaker Recovery"))
				.anyMatch((text) -> text.contains("Also sent to the channel") && text.contains("Circuit Breaker Recovered"));
			assertThat(replies.get(1).findElement(By.cssSelector(".bar")).getCssValue("background-color"))
				.isEqualTo("rgba(255, 165, 0, 1)");

			List<WebElement> channel = page.findAll(By.cssSelector("#timeline .message"));
			assertThat(channel).hasSize(2);
			assertThat(channel.get(1).getText()).contains("replied to a thread:", "✅ Circuit Breaker Recovered",
					"Outage:");
			assertThat(page.findAll(By.cssSelector("#target")).get(0).getText()).contains("recorder");

			page.screenshot(Path.of("target", "demo.png"));
			String readmePicture = System.getProperty("demo.screenshot");
			if (readmePicture != null) {
				page.screenshot(Path.of(readmePicture));
			}
		}
	}

	@Test
	void aBrowserThatGoesAwayMidPollLeavesNoErrorInTheLog(CapturedOutput output) throws Exception {
		for (int i = 0; i < 3; i++) {
			DemoPage page = new DemoPage("http://localhost:" + this.port + "/");
			page.waitFor(By.cssSelector("#target"), Duration.ofSeconds(20));
			await().pollDelay(Duration.ofMillis(1500 + 700 * i)).until(() -> true);
			page.close();
		}
		await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
		assertThat(output.getAll()).doesNotContain("onErrorDropped").doesNotContain(" ERROR ");
	}

}
