package io.github.visitorcounter.web;

import java.time.Duration;

import io.github.visitorcounter.testing.Browser;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page's {@code data-live} when the instance refuses its stream: a single stream
 * slot, already taken.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "visitors.live.max-streams=1")
@Import(TestRedisConfiguration.class)
class LiveFallbackBrowserTests {

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void keepsTheOneShotCountWhenTheStreamIsRefused() {
		TestRedisConfiguration.flushAll(this.redis);
		try (EventStream slotTaken = EventStream.open(this.port, "/api/visitors/stream");
				Browser browser = new Browser()) {
			slotTaken.awaitCount(0, Duration.ofSeconds(2));
			browser.open("http://localhost:" + this.port + "/");
			assertThat(browser.awaitTextOtherThan("#hero-count", "…")).isEqualTo("1");
			assertThat(browser.text("#footer-count")).isEqualTo("1");
			assertThat(browser.uncaughtErrors()).isEmpty();
			// The page's visit reached the one stream there is, not a second one.
			slotTaken.awaitCount(1, Duration.ofSeconds(2));
		}
	}

}
