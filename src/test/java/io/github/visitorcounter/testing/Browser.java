package io.github.visitorcounter.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

/**
 * A real headless Chromium with a fresh profile, driven through chromedriver. Uses
 * Debian's {@code chromium} and {@code chromium-driver} (or {@code CHROME_BIN} /
 * {@code CHROMEDRIVER}); nothing is downloaded.
 * <p>
 * Every page it opens records its uncaught errors and console warnings in
 * {@code window.__recorded}, so tests can tell that a page stayed healthy.
 */
public class Browser implements AutoCloseable {

	private static final String RECORDER = """
			window.__recorded = { errors: [], warnings: [] };
			window.addEventListener('error', function (e) { window.__recorded.errors.push(String(e.message)); });
			window.addEventListener('unhandledrejection', function (e) { window.__recorded.errors.push(String(e.reason)); });
			(function (warn) {
			  console.warn = function () {
			    window.__recorded.warnings.push(Array.prototype.join.call(arguments, ' '));
			    return warn.apply(console, arguments);
			  };
			})(console.warn);
			""";

	private final Path profile;

	private final ChromeDriver driver;

	public Browser() {
		this(List.of());
	}

	private Browser(List<Path> trustedCertificates) {
		File chromium = executable("CHROME_BIN", "/usr/bin/chromium");
		File chromedriver = executable("CHROMEDRIVER", "/usr/bin/chromedriver");
		try {
			this.profile = Files.createTempDirectory("visitor-counter-chromium");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions().setBinary(chromium)
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--window-size=1280,1100", "--user-data-dir=" + this.profile);
		ChromeDriverService.Builder service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
			.usingAnyFreePort();
		if (!trustedCertificates.isEmpty()) {
			// Chromium on Linux reads the certificates its user trusts from
			// $HOME/.pki/nssdb.
			service.withEnvironment(Map.of("HOME", trust(trustedCertificates).toString()));
		}
		this.driver = new ChromeDriver(service.build(), options);
		this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
		this.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
	}

	/**
	 * A browser that trusts these CA certificates (PEM) the way a user who added them
	 * would: in its own NSS database, so that it verifies HTTPS sites signed by them like
	 * any other, host name included. Needs {@code certutil} (Debian:
	 * {@code libnss3-tools}).
	 */
	public static Browser trusting(Path... caCertificates) {
		return new Browser(List.of(caCertificates));
	}

	/** A home directory whose NSS database trusts these certificates. */
	private Path trust(List<Path> certificates) {
		Path home = this.profile.resolve("home");
		Path database = home.resolve(".pki/nssdb");
		try {
			Files.createDirectories(database);
			certutil("-N", "--empty-password", "-d", "sql:" + database);
			for (int i = 0; i < certificates.size(); i++) {
				certutil("-A", "-d", "sql:" + database, "-t", "C,,", "-n", "test-ca-" + i, "-i",
						certificates.get(i).toString());
			}
			return home;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void certutil(String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of("certutil"));
		command.addAll(List.of(arguments));
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Browser tests over HTTPS need certutil to make Chromium trust the "
					+ "test's CA. On Debian/Ubuntu: sudo apt-get install libnss3-tools", ex);
		}
		try {
			String output = new String(process.getInputStream().readAllBytes());
			if (process.waitFor() != 0) {
				throw new IllegalStateException("certutil " + String.join(" ", arguments) + " failed: " + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static File executable(String variable, String fallback) {
		String configured = System.getenv(variable);
		File file = new File((configured != null && !configured.isBlank()) ? configured : fallback);
		if (!file.canExecute()) {
			throw new IllegalStateException("Browser tests need Chromium and chromedriver: " + file
					+ " is missing. On Debian/Ubuntu: sudo apt-get install chromium chromium-driver; "
					+ "elsewhere set CHROME_BIN and CHROMEDRIVER.");
		}
		return file;
	}

	public void open(String url) {
		this.driver.get(url);
	}

	public void reload() {
		this.driver.navigate().refresh();
	}

	public String text(String cssSelector) {
		return this.driver.findElement(By.cssSelector(cssSelector)).getText();
	}

	/**
	 * Waits until the element shows something other than {@code placeholder}, and returns
	 * it.
	 */
	public String awaitTextOtherThan(String cssSelector, String placeholder) {
		wait(Duration.ofSeconds(10)).until((driver) -> !text(cssSelector).equals(placeholder));
		return text(cssSelector);
	}

	public Object script(String javascript, Object... arguments) {
		return this.driver.executeScript(javascript, arguments);
	}

	public String localStorage(String key) {
		return (String) script("return window.localStorage.getItem(arguments[0]);", key);
	}

	@SuppressWarnings("unchecked")
	public List<String> uncaughtErrors() {
		return (List<String>) script("return window.__recorded.errors;");
	}

	@SuppressWarnings("unchecked")
	public List<String> consoleWarnings() {
		return (List<String>) script("return window.__recorded.warnings;");
	}

	public WebDriverWait wait(Duration timeout) {
		return new WebDriverWait(this.driver, timeout);
	}

	/**
	 * Saves a PNG of the page under {@code target/screenshots/} for people to look at.
	 */
	public Path screenshot(String name) {
		try {
			Path target = Path.of("target", "screenshots", name + ".png");
			Files.createDirectories(target.getParent());
			return Files.move(this.driver.getScreenshotAs(OutputType.FILE).toPath(), target,
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
		FileSystemUtils.deleteRecursively(this.profile.toFile());
	}

}
