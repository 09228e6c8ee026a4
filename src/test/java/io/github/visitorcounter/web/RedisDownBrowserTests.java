package io.github.visitorcounter.web;

import java.time.Duration;

import io.github.visitorcounter.testing.Browser;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis down, the demo page keeps its fallback text and nothing breaks on it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisDownBrowserTests {

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	@LocalServerPort
	private int port;

	@Test
	void demoPageKeepsItsFallbackTextWhileRedisIsDown() {
		redis.stop();
		try (Browser browser = new Browser()) {
			browser.open("http://localhost:" + this.port + "/");
			browser.wait(Duration.ofSeconds(10)).until((driver) -> !browser.consoleWarnings().isEmpty());
			assertThat(browser.text("#hero-count")).isEqualTo("…");
			assertThat(browser.text("#footer-count")).isEqualTo("…");
			assertThat(browser.consoleWarnings()).singleElement().asString().contains("HTTP 503");
			assertThat(browser.uncaughtErrors()).isEmpty();
		}
	}

}
