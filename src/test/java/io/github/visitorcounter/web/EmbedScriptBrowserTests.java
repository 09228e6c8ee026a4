package io.github.visitorcounter.web;

import java.time.Duration;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.Browser;
import io.github.visitorcounter.testing.StaticSite;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page and the embeddable script in a real headless Chromium.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestRedisConfiguration.class)
class EmbedScriptBrowserTests {

	private static final StaticSite site = new StaticSite();

	/** An origin the counter allows. */
	private static final String ALLOWED_SITE = "http://localhost:" + site.port();

	/** The same site under another origin, which the counter does not allow. */
	private static final String FOREIGN_SITE = "http://127.0.0.1:" + site.port();

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate redis;

	@DynamicPropertySource
	static void allowTheSite(DynamicPropertyRegistry registry) {
		registry.add("visitors.allowed-origins", () -> ALLOWED_SITE);
	}

	@AfterAll
	static void stopSite() {
		site.close();
	}

	@BeforeEach
	void setUp() {
		TestRedisConfiguration.flushAll(this.redis);
		site.setAppUrl(appUrl());
	}

	@Test
	void demoPageShowsTheCountInHeroAndFooterAndCountsARefreshOnce() {
		try (Browser browser = new Browser()) {
			browser.open(appUrl() + "/");
			assertThat(browser.awaitTextOtherThan("#hero-count", "…")).isEqualTo("1");
			assertThat(browser.text("#footer-count")).isEqualTo("1");
			String visitorId = browser.localStorage("visitor-counter:id");
			assertThat(visitorId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
			browser.screenshot("demo-page");

			browser.reload();
			assertThat(browser.awaitTextOtherThan("#hero-count", "…")).isEqualTo("1");
			assertThat(browser.text("#footer-count")).isEqualTo("1");
			assertThat(browser.localStorage("visitor-counter:id")).isEqualTo(visitorId);
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
		try (Browser freshProfile = new Browser()) {
			freshProfile.open(appUrl() + "/");
			assertThat(freshProfile.awaitTextOtherThan("#hero-count", "…")).isEqualTo("2");
			assertThat(freshProfile.text("#footer-count")).isEqualTo("2");
		}
		assertThat(count("default")).isEqualTo("2");
	}

	@Test
	void demoPageFollowsTheCountLiveWithoutReloading() {
		try (Browser browser = new Browser()) {
			browser.open(appUrl() + "/");
			assertThat(browser.awaitTextOtherThan("#hero-count", "…")).isEqualTo("1");
			browser.script("window.__notReloaded = true;");
			new ApiClient(this.port).post("/api/visitors", ApiClient.visit("another-client-0123456789"));
			browser.wait(Duration.ofSeconds(5)).until((driver) -> "2".equals(browser.text("#hero-count")));
			assertThat(browser.text("#footer-count")).isEqualTo("2");
			assertThat(browser.script("return window.__notReloaded === true;")).isEqualTo(true);
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
	}

	@Test
	void keepsTheOneShotCountWhereStreamingIsNotPossible() {
		try (Browser browser = new Browser()) {
			browser.open(ALLOWED_SITE + "/live-without-eventsource.html");
			assertThat(browser.awaitTextOtherThan("#count", "fallback")).isEqualTo("1");
			assertThat(count("no-stream")).isEqualTo("1");
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
	}

	@Test
	void ownerWhoOptedOutSeesTheCountWithoutIncrementingIt() {
		this.redis.opsForValue().set("visitors:{default}:count", "41");
		try (Browser browser = new Browser()) {
			browser.open(appUrl() + "/");
			assertThat(browser.awaitTextOtherThan("#hero-count", "…")).isEqualTo("42");
			browser.script("window.localStorage.setItem('visitor-counter:ignore', '1');");
			try (Browser stranger = new Browser()) {
				stranger.open(appUrl() + "/");
				assertThat(stranger.awaitTextOtherThan("#hero-count", "…")).isEqualTo("43");
			}
			browser.script("window.localStorage.removeItem('visitor-counter:id');");
			browser.reload();
			assertThat(browser.awaitTextOtherThan("#hero-count", "…")).isEqualTo("43");
		}
		assertThat(count("default")).isEqualTo("43");
	}

	@Test
	void embedsOnAnAllowedSiteFormattedForThePageLanguage() {
		this.redis.opsForValue().set("visitors:{embedded}:count", "1233");
		try (Browser browser = new Browser()) {
			browser.open(ALLOWED_SITE + "/embed.html");
			// The page says lang="de": German digit grouping.
			assertThat(browser.awaitTextOtherThan("#count", "fallback")).isEqualTo("1.234");
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
		assertThat(count("embedded")).isEqualTo("1234");
	}

	@Test
	void keepsTheFallbackTextAndCountsNothingOnASiteThatIsNotAllowed() {
		try (Browser browser = new Browser()) {
			browser.open(FOREIGN_SITE + "/embed.html");
			browser.wait(Duration.ofSeconds(10)).until((driver) -> !browser.consoleWarnings().isEmpty());
			browser.wait(Duration.ofSeconds(10))
				.until((driver) -> "yes".equals(browser.script("return document.body.dataset.alive;")));
			assertThat(browser.text("#count")).isEqualTo("fallback");
			assertThat(browser.consoleWarnings()).hasSize(1).first().asString().startsWith("visitor-counter: ");
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void countsWithASessionIdWhenStorageIsBlocked() {
		try (Browser browser = new Browser()) {
			browser.open(ALLOWED_SITE + "/no-storage.html");
			assertThat(browser.awaitTextOtherThan("#count", "fallback")).isEqualTo("1");
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
	}

	@Test
	void makesAnIdWithoutCryptoRandomUuid() {
		try (Browser browser = new Browser()) {
			browser.open(ALLOWED_SITE + "/no-random-uuid.html");
			assertThat(browser.awaitTextOtherThan("#count", "fallback")).isEqualTo("1");
			assertThat(browser.localStorage("visitor-counter:id"))
				.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
	}

	private String appUrl() {
		return "http://localhost:" + this.port;
	}

	private String count(String counter) {
		return this.redis.opsForValue().get("visitors:{" + counter + "}:count");
	}

}
