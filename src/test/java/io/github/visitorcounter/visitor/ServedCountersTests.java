package io.github.visitorcounter.visitor;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment that lists its counters: a listed name and a name the owner created are
 * served, a name matching a listed pattern is created by its first visit while fewer than
 * the cap exist, any other gets a 404 problem and writes nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "visitors.counters=blog,post-*",
		"visitors.max-counters=2", "visitors.admin-token=" + ServedCountersTests.TOKEN })
class ServedCountersTests extends ApiTestSupport {

	static final String TOKEN = "test-admin-token-0123456789";

	@Test
	void servesAListedCounter() {
		assertThat(this.api.get("/api/visitors/blog").body()).isEqualTo("{\"counter\":\"blog\",\"count\":0}");
		assertThat(this.api.post("/api/visitors/blog", visit(UUID.randomUUID().toString())).body())
			.isEqualTo("{\"counter\":\"blog\",\"count\":1,\"newVisitor\":true}");
	}

	@Test
	void refusesAnyOtherNameAndWritesNothing() {
		for (String path : new String[] { "/api/visitors/other", "/api/visitors" }) {
			HttpResponse<String> refused = this.api.post(path, visit(UUID.randomUUID().toString()));
			assertThat(refused.statusCode()).as(path).isEqualTo(404);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.body()).contains("urn:visitor-counter:problem:unknown-counter");
			assertThat(this.api.get(path).statusCode()).isEqualTo(404);
		}
		// Even a visit that would not be counted (a crawler's) learns nothing else.
		assertThat(
				this.api.post("/api/visitors/other", visit(UUID.randomUUID().toString()), "User-Agent", "Googlebot/2.1")
					.statusCode())
			.isEqualTo(404);
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void refusesEveryReadOfAnyOtherNameAlike() {
		for (String path : new String[] { "/api/visitors/other", "/api/visitors/other/stats",
				"/api/visitors/other/badge.svg", "/api/visitors/other/stream", "/api/visitors/other/pages?path=/a",
				"/api/visitors/other/pages/top", "/api/visitors?counter=blog&counter=other", "/api/visitors/stats",
				"/api/visitors/badge.svg", "/api/visitors/stream" }) {
			for (String method : new String[] { "GET", "HEAD" }) {
				HttpResponse<String> refused = this.api
					.send(this.api.request(path).method(method, BodyPublishers.noBody()));
				assertThat(refused.statusCode()).as("%s %s", method, path).isEqualTo(404);
				assertThat(refused.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
			}
			assertThat(this.api.get(path).body()).as(path).contains("urn:visitor-counter:problem:unknown-counter");
		}
		assertThat(this.redis.keys("*")).isEmpty();
		for (String path : new String[] { "/api/visitors/blog/stats", "/api/visitors/blog/badge.svg",
				"/api/visitors/post-a/stats", "/api/visitors/post-a/badge.svg" }) {
			assertThat(this.api.get(path).statusCode()).as(path).isEqualTo(200);
		}
	}

	@Test
	void createsCountersOfAPatternUpToTheCap() {
		assertThat(this.api.post("/api/visitors/post-a", visit(UUID.randomUUID().toString())).statusCode())
			.isEqualTo(200);
		assertThat(this.api.post("/api/visitors/post-b", visit(UUID.randomUUID().toString())).statusCode())
			.isEqualTo(200);
		assertThat(this.api.post("/api/visitors/post-c", visit(UUID.randomUUID().toString())).statusCode())
			.isEqualTo(404);
		assertThat(this.redis.keys("visitors:{post-c}:*")).isEmpty();
		// Listed names do not count against the cap.
		assertThat(this.api.post("/api/visitors/blog", visit(UUID.randomUUID().toString())).statusCode())
			.isEqualTo(200);
		owner("DELETE", "/api/admin/counters/post-a", null);
		assertThat(this.api.post("/api/visitors/post-c", visit(UUID.randomUUID().toString())).statusCode())
			.isEqualTo(200);
	}

	@Test
	void servesACounterTheOwnerCreated() {
		assertThat(owner("PUT", "/api/admin/counters/about", "{\"count\":7}").statusCode()).isEqualTo(200);
		assertThat(this.api.post("/api/visitors/about", visit(UUID.randomUUID().toString())).body())
			.isEqualTo("{\"counter\":\"about\",\"count\":8,\"newVisitor\":true}");
		assertThat(owner("GET", "/api/admin/counters", null).body()).contains("{\"counter\":\"about\",\"count\":8}");
		owner("DELETE", "/api/admin/counters/about", null);
		assertThat(this.api.post("/api/visitors/about", visit(UUID.randomUUID().toString())).statusCode())
			.isEqualTo(404);
	}

	private HttpResponse<String> owner(String method, String path, String json) {
		var request = this.api.request(path, "Authorization", "Bearer " + TOKEN);
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		return this.api
			.send(request.method(method, (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody()));
	}

}
