package io.github.visitorcounter.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.zip.GZIPOutputStream;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the embeddable script and the demo page are served.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithoutLimits
@Import(TestRedisConfiguration.class)
class EmbedScriptTests {

	@LocalServerPort
	private int port;

	@Test
	void keepsTheScriptUnder2KiBGzipped() throws IOException {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (InputStream script = new ClassPathResource("static/visitor-counter.js").getInputStream();
				GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
			script.transferTo(gzip);
		}
		assertThat(compressed.size()).isLessThan(2048);
	}

	@Test
	void servesTheScriptAsJavaScriptCacheableForAnHour() {
		HttpResponse<String> response = new ApiClient(this.port).get("/visitor-counter.js");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
		assertThat(response.headers().firstValue("Cache-Control"))
			.hasValue("max-age=3600, public, stale-while-revalidate=86400");
		assertThat(response.body()).contains("data-visitor-count");
	}

	@Test
	void servesTheDemoPageForRevalidation() {
		HttpResponse<String> response = new ApiClient(this.port).get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(response.body()).contains("data-visitor-count", "/visitor-counter.js")
			.doesNotContain("https://fonts.", "cdn.");
	}

}
