package io.github.visitorcounter.badge;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.xml.parsers.DocumentBuilderFactory;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RedisMonitor;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SVG badge over HTTP: well-formed, escaped, cheap to revalidate.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class BadgeTests extends ApiTestSupport {

	@Test
	void rendersTheCountAsAWellFormedSvg() throws Exception {
		this.redis.opsForValue().set("visitors:{blog}:count", "1234");
		HttpResponse<String> response = this.api.get("/api/visitors/blog/badge.svg");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("image/svg+xml"));
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
		Document svg = parse(response.body());
		assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
		assertThat(texts(svg)).contains("visitors", "1,234");
		assertThat(response.body()).contains("#007ec6");
	}

	@Test
	void escapesTheLabelAndAppliesTheColour() throws Exception {
		HttpResponse<String> response = this.api
			.get("/api/visitors/badge.svg?label=%3Cscript%3E%22Tom%20%26%20Jerry%22&color=a1b2c3");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("<script>").contains("&lt;script&gt;&quot;Tom &amp; Jerry&quot;");
		Document svg = parse(response.body());
		assertThat(texts(svg)).contains("<script>\"Tom & Jerry\"", "0");
		assertThat(response.body()).contains("fill=\"#a1b2c3\"");
	}

	@Test
	void refusesInvalidColoursAndLabels() {
		for (String query : new String[] { "color=%23fff", "color=chartreuse", "color=12345", "label=" + "x".repeat(41),
				"label=a%0Ab" }) {
			HttpResponse<String> response = this.api.get("/api/visitors/blog/badge.svg?" + query);
			assertThat(response.statusCode()).as(query).isEqualTo(400);
			assertThat(response.body()).as(query).contains("urn:visitor-counter:problem:invalid-request");
		}
	}

	@Test
	void answersNotModifiedWhileTheCountIsUnchanged() {
		this.redis.opsForValue().set("visitors:{revalidated}:count", "7");
		HttpResponse<String> first = this.api.get("/api/visitors/revalidated/badge.svg");
		String etag = first.headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> unchanged = this.api.get("/api/visitors/revalidated/badge.svg", "If-None-Match", etag);
		assertThat(unchanged.statusCode()).isEqualTo(304);
		assertThat(unchanged.body()).isEmpty();
		assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);

		this.redis.opsForValue().set("visitors:{revalidated}:count", "8");
		// Identical reads within a second may share one answer: the new count shows after
		// at most that.
		HttpResponse<String> changed = await().atMost(Duration.ofSeconds(3))
			.until(() -> this.api.get("/api/visitors/revalidated/badge.svg", "If-None-Match", etag),
					(response) -> response.statusCode() == 200);
		assertThat(changed.headers().firstValue("ETag")).isPresent().isNotEqualTo(etag);
		assertThat(changed.body()).contains(">8</text>");
	}

	@Test
	void letsABurstOfIdenticalReadsShareOneRedisRead() throws Exception {
		this.redis.opsForValue().set("visitors:{popular}:count", "42");
		RedisServer redisServer = RedisServer.shared();
		try (RedisMonitor monitor = new RedisMonitor(redisServer.host(), redisServer.port())) {
			for (int i = 0; i < 20; i++) {
				assertThat(this.api.get("/api/visitors/popular/badge.svg").body()).contains(">42</text>");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.clientCommands().isEmpty());
			// A burst can straddle one expiry, hardly two.
			assertThat(monitor.clientCommands()).hasSizeBetween(1, 2).containsOnly("get");
		}
	}

	private static Document parse(String svg) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
	}

	private static java.util.List<String> texts(Document svg) {
		NodeList texts = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
		java.util.List<String> contents = new java.util.ArrayList<>();
		for (int i = 0; i < texts.getLength(); i++) {
			contents.add(texts.item(i).getTextContent());
		}
		return contents;
	}

}
