package io.github.visitorcounter.web;

import java.time.Duration;
import java.util.List;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.Browser;
import io.github.visitorcounter.testing.StaticSite;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.assertj.core.api.InstanceOfAssertFactories;
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
 * The demo page and the embeddable script in a real headless Chromium, on its own and on
 * a site with many pages ({@code data-pages}).
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
	void demoPageShowsTheCountsOfTheSiteAndThePageAndCountsARevisitOnce() {
		try (Browser browser = new Browser()) {
			browser.open(appUrl() + "/");
			assertThat(browser.awaitTextOtherThan("#hero-count", "…")).isEqualTo("1");
			assertThat(browser.text("#footer-count")).isEqualTo("1");
			assertThat(browser.text("#page-count")).isEqualTo("1");
			assertThat(browser.awaitTextOtherThan("#top-pages", "…")).isEqualTo("/ — 1");
			String visitorId = browser.localStorage("visitor-counter:id");
			assertThat(visitorId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
			browser.screenshot("demo-page");

			browser.open(appUrl() + "/index.html");
			assertThat(browser.awaitTextOtherThan("#hero-count", "…")).isEqualTo("1");
			assertThat(browser.text("#footer-count")).isEqualTo("1");
			assertThat(browser.text("#page-count")).isEqualTo("1");
			assertThat(browser.awaitTextOtherThan("#top-pages", "…")).isEqualTo("/ — 1");
			assertThat(browser.localStorage("visitor-counter:id")).isEqualTo(visitorId);
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
		try (Browser freshProfile = new Browser()) {
			freshProfile.open(appUrl() + "/");
			assertThat(freshProfile.awaitTextOtherThan("#hero-count", "…")).isEqualTo("2");
			assertThat(freshProfile.text("#footer-count")).isEqualTo("2");
			assertThat(freshProfile.text("#page-count")).isEqualTo("2");
			assertThat(freshProfile.awaitTextOtherThan("#top-pages", "…")).isEqualTo("/ — 2");
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
			// A visitor reading another page of the site is a visitor of the site too.
			new ApiClient(this.port).post("/api/visitors/default/pages",
					"{\"visitorId\":\"page-reader-0123456789\",\"path\":\"/another/page\"}");
			browser.wait(Duration.ofSeconds(5)).until((driver) -> "3".equals(browser.text("#hero-count")));
			assertThat(browser.text("#page-count")).isEqualTo("1");
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

	@Test
	void countsTheSiteOnceAndEachPageOncePerBrowserAndListsTheTopPages() {
		try (Browser reader = new Browser()) {
			assertThat(siteAndPageCounts(reader, "/posts/first.html")).containsExactly("1", "1");
			assertThat(siteAndPageCounts(reader, "/posts/second.html")).containsExactly("1", "1");
			assertThat(siteAndPageCounts(reader, "/posts/first.html")).containsExactly("1", "1");
			assertThat(reader.uncaughtErrors()).isEmpty();
		}
		try (Browser anotherReader = new Browser()) {
			assertThat(siteAndPageCounts(anotherReader, "/posts/second.html")).containsExactly("2", "2");
			assertThat(siteAndPageCounts(anotherReader, "/posts/first.html")).containsExactly("2", "2");
		}
		try (Browser thirdReader = new Browser()) {
			assertThat(siteAndPageCounts(thirdReader, "/posts/first.html")).containsExactly("3", "3");
			assertThat(siteAndPageCounts(thirdReader, "/posts.html")).containsExactly("3", "1");
			assertThat(thirdReader.awaitTextOtherThan("#first", "fallback")).isEqualTo("3");
			assertThat(thirdReader.awaitTextOtherThan("#second", "fallback")).isEqualTo("2");
			assertThat(thirdReader.awaitTextOtherThan("#second-again", "fallback")).isEqualTo("2");
			assertThat(thirdReader.awaitTextOtherThan("#third", "fallback")).isEqualTo("0");
			assertThat(thirdReader.script("""
					return performance.getEntriesByType('resource')
					  .map(function (entry) { return entry.name; })
					  .filter(function (name) { return name.indexOf('/pages?') >= 0; });"""))
				.asInstanceOf(InstanceOfAssertFactories.LIST)
				.singleElement()
				.isEqualTo(appUrl() + "/api/visitors/blog/pages?path=%2Fposts%2Ffirst.html"
						+ "&path=%2Fposts%2Fsecond.html&path=%2Fposts%2Fthird.html");
			assertThat(thirdReader.uncaughtErrors()).isEmpty();

			thirdReader.open(appUrl() + "/dashboard?counter=blog");
			thirdReader.wait(Duration.ofSeconds(10)).until((driver) -> topPages(thirdReader).size() == 3);
			assertThat(topPages(thirdReader)).containsExactly("/posts/first.html 3", "/posts/second.html 2",
					"/posts.html 1");
			thirdReader.screenshot("dashboard-top-pages");
		}
		assertThat(count("blog")).isEqualTo("3");
	}

	@Test
	void ownerWhoOptedOutSeesThePageCountsWithoutIncrementingThem() {
		try (Browser owner = new Browser()) {
			assertThat(siteAndPageCounts(owner, "/posts.html")).containsExactly("1", "1");
			owner.script("window.localStorage.setItem('visitor-counter:ignore', '1');");
			try (Browser reader = new Browser()) {
				assertThat(siteAndPageCounts(reader, "/posts/first.html")).containsExactly("2", "1");
			}
			assertThat(siteAndPageCounts(owner, "/posts/first.html")).containsExactly("2", "1");
			assertThat(siteAndPageCounts(owner, "/posts/second.html")).containsExactly("2", "0");
			owner.script("window.localStorage.removeItem('visitor-counter:id');");
			assertThat(siteAndPageCounts(owner, "/posts.html")).containsExactly("2", "1");
			assertThat(owner.uncaughtErrors()).isEmpty();
		}
		assertThat(count("blog")).isEqualTo("2");
	}

	/**
	 * Opens a page of the site and returns the site's count and the page's as the embed
	 * shows them.
	 */
	private static List<String> siteAndPageCounts(Browser browser, String path) {
		browser.open(ALLOWED_SITE + path);
		return List.of(browser.awaitTextOtherThan("#site", "fallback"),
				browser.awaitTextOtherThan("#page", "fallback"));
	}

	/** The dashboard's top pages, each as its path and count. */
	@SuppressWarnings("unchecked")
	private static List<String> topPages(Browser browser) {
		return (List<String>) browser.script("""
				return Array.prototype.map.call(document.querySelectorAll('#pages li'), function (row) {
				  return row.querySelector('.path').textContent + ' ' + row.querySelector('.count').textContent;
				});""");
	}

	private String appUrl() {
		return "http://localhost:" + this.port;
	}

	private String count(String counter) {
		return this.redis.opsForValue().get("visitors:{" + counter + "}:count");
	}

}
