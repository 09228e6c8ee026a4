package io.github.visitorcounter.badge;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import javax.xml.parsers.DocumentBuilderFactory;

import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

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
		this.redis.opsForValue().set("visitors:{blog}:count", "7");
		HttpResponse<String> first = this.api.get("/api/visitors/blog/badge.svg");
		String etag = first.headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> unchanged = this.api.get("/api/visitors/blog/badge.svg", "If-None-Match", etag);
		assertThat(unchanged.statusCode()).isEqualTo(304);
		assertThat(unchanged.body()).isEmpty();
		assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);

		this.redis.opsForValue().set("visitors:{blog}:count", "8");
		HttpResponse<String> changed = this.api.get("/api/visitors/blog/badge.svg", "If-None-Match", etag);
		assertThat(changed.statusCode()).isEqualTo(200);
		assertThat(changed.headers().firstValue("ETag")).isPresent().isNotEqualTo(etag);
		assertThat(changed.body()).contains(">8</text>");
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
