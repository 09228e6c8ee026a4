package io.github.visitorcounter.dashboard;

import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.Browser;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium: figures, a 30-day chart, live updates.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardBrowserTests extends ApiTestSupport {

	@Test
	void showsTheFiguresAndA30DayChartThatFollowTheCountLive() throws Exception {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		// Earlier days straight into their HyperLogLogs, as past visits would have left
		// them.
		for (int daysAgo = 1; daysAgo < 30; daysAgo++) {
			for (int i = 0; i < (daysAgo * 7) % 23 + 1; i++) {
				this.redis.opsForHyperLogLog()
					.add("visitors:{blog}:day:" + today.minusDays(daysAgo), "visitor-" + daysAgo + "-" + i);
			}
		}
		this.redis.opsForValue().set("visitors:{blog}:count", "1233");
		this.api.post("/api/visitors/blog", ApiClient.visit("dashboard-visitor-0123456789"));

		try (Browser browser = new Browser()) {
			browser.open("http://localhost:" + this.port + "/dashboard?counter=blog");
			assertThat(browser.awaitTextOtherThan("#total", "–")).isEqualTo("1,234");
			assertThat(browser.text("#today")).isEqualTo("1");
			browser.wait(Duration.ofSeconds(5))
				.until((driver) -> ((Number) browser.script("return document.querySelectorAll('#chart rect').length;"))
					.intValue() == 30);
			assertThat(browser.script("return document.querySelector('#chart rect:last-of-type').dataset.date;"))
				.isEqualTo(today.toString());
			assertThat(browser.awaitTextOtherThan("#pages-status", "Loading…")).startsWith("No page counted yet");
			assertThat(Files.size(browser.screenshot("dashboard"))).isPositive();

			this.api.post("/api/visitors/blog", ApiClient.visit("another-visitor-0123456789"));
			browser.wait(Duration.ofSeconds(5)).until((driver) -> "1,235".equals(browser.text("#total")));
			browser.wait(Duration.ofSeconds(5)).until((driver) -> "2".equals(browser.text("#today")));
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
	}

}
