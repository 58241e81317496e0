package dev.fluxgate.slack.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page in Debian's headless Chromium, driven by Selenium with explicit binary and driver paths so that
 * nothing is downloaded.
 */
final class DemoPage implements AutoCloseable {

	static final Path CHROMIUM = Path.of(System.getProperty("demo.chromium", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(System.getProperty("demo.chromedriver", "/usr/bin/chromedriver"));

	private final ChromeDriver driver;

	private final Path profile;

	DemoPage(String url) throws IOException {
		this.profile = Files.createTempDirectory("demo-chromium");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
					"--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.get(url);
	}

	WebElement waitFor(By locator, Duration timeout) {
		return new WebDriverWait(this.driver, timeout).until((driver) -> {
			List<WebElement> found = driver.findElements(locator);
			return found.isEmpty() ? null : found.get(0);
		});
	}

	List<WebElement> findAll(By locator) {
		return this.driver.findElements(locator);
	}

	/**
	 * Click the first element found, finding it again when the page redrew it meanwhile.
	 * @param locator where the element is
	 * @param timeout how long to wait for it
	 */
	void click(By locator, Duration timeout) {
		new WebDriverWait(this.driver, timeout)
			.ignoring(StaleElementReferenceException.class)
			.ignoring(ElementClickInterceptedException.class)
			.until((driver) -> {
				List<WebElement> found = driver.findElements(locator);
				if (found.isEmpty() || !found.get(0).isDisplayed() || !found.get(0).isEnabled()) {
					return null;
				}
				found.get(0).click();
				return true;
			});
	}

	void screenshot(Path target) {
		write(target, ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES));
	}

	void screenshot(WebElement element, Path target) {
		write(target, element.getScreenshotAs(OutputType.BYTES));
	}

	private static void write(Path target, byte[] png) {
		try {
			Files.createDirectories(target.toAbsolutePath().getParent());
			Files.write(target, png);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
