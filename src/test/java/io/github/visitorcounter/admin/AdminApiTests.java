package io.github.visitorcounter.admin;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner API with {@code VISITORS_ADMIN_TOKEN} set: every route without a token, with
 * a wrong one and with the right one.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.admin-token=" + AdminApiTests.TOKEN, "visitors.pages.max-per-counter=2" })
class AdminApiTests extends ApiTestSupport {

	static final String TOKEN = "test-admin-token-0123456789";

	private static final List<String[]> ROUTES = List.of(new String[] { "GET", "/api/admin/counters", null },
			new String[] { "PUT", "/api/admin/counters/blog", "{\"count\":5}" },
			new String[] { "DELETE", "/api/admin/counters/blog", null },
			new String[] { "GET", "/api/admin/export", null },
			new String[] { "POST", "/api/admin/import", "{\"counters\":{\"blog\":5}}" },
			new String[] { "GET", "/api/admin/counters/blog/pages", null },
			new String[] { "PUT", "/api/admin/counters/blog/pages?path=/a", "{\"count\":5}" },
			new String[] { "DELETE", "/api/admin/counters/blog/pages?path=/a", null });

	@Test
	void refusesEveryRouteWithoutAToken() {
		for (String[] route : ROUTES) {
			HttpResponse<String> response = call(route);
			assertThat(response.statusCode()).as("%s %s", route[0], route[1]).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"visitor-counter\"");
			assertThat(response.body()).contains("urn:visitor-counter:problem:unauthorized");
		}
		assertThat(this.redis.keys("visitors:{blog}:*")).isEmpty();
	}

	@Test
	void refusesEveryRouteWithAWrongToken() {
		for (String[] route : ROUTES) {
			assertThat(call(route, "Authorization", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
		}
		assertThat(this.redis.keys("visitors:{blog}:*")).isEmpty();
	}

	@Test
	void refusesATokenSentInAnotherForm() {
		for (String wrong : List.of("Bearer", "Basic " + TOKEN, TOKEN, "Bearer  ")) {
			assertThat(call(ROUTES.get(0), "Authorization", wrong).statusCode()).isEqualTo(401);
		}
		assertThat(this.redis.keys("visitors:{blog}:*")).isEmpty();
	}

	@Test
	void servesEveryRouteWithTheRightToken() {
		for (String[] route : ROUTES) {
			assertThat(call(route, "Authorization", "Bearer " + TOKEN).statusCode()).as("%s %s", route[0], route[1])
				.isEqualTo(200);
		}
	}

	@Test
	void setsAStartingValueWhenMigrating() {
		HttpResponse<String> response = admin("PUT", "/api/admin/counters/blog", "{\"count\":41}");
		assertThat(response.body()).isEqualTo("{\"counter\":\"blog\",\"count\":41}");
		assertThat(this.api.post("/api/visitors/blog", visit(UUID.randomUUID().toString())).body())
			.contains("\"count\":42");
	}

	@Test
	void refusesAnInvalidStartingValue() {
		for (String body : List.of("{\"count\":-1}", "{}", "{\"count\":9007199254740992}", "{\"count\":\"x\"}")) {
			HttpResponse<String> response = admin("PUT", "/api/admin/counters/blog", body);
			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
		assertThat(admin("PUT", "/api/admin/counters/Not-Valid", "{\"count\":1}").statusCode()).isEqualTo(400);
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void deleteRemovesTheCountTheDedupeSetsTheDaysAndThePages() {
		String visitor = UUID.randomUUID().toString();
		this.api.post("/api/visitors/blog", visit(visitor));
		this.api.post("/api/visitors/blog", visit(UUID.randomUUID().toString()));
		this.api.post("/api/visitors/blog/pages", pageVisit(visitor, "/a"));
		this.api.post("/api/visitors/blog/pages", pageVisit(UUID.randomUUID().toString(), "/b"));
		assertThat(this.redis.keys("visitors:{blog}:page*")).hasSize(3);
		this.api.post("/api/visitors/docs", visit(visitor));
		HttpResponse<String> reset = admin("DELETE", "/api/admin/counters/blog", null);
		assertThat(reset.body()).startsWith("{\"counter\":\"blog\",\"count\":0,\"removedKeys\":");
		// The limiter logs of client addresses stay: they expire with their window.
		assertThat(this.redis.keys("visitors:{blog}:*"))
			.allSatisfy((key) -> assertThat(key).matches("visitors:\\{blog\\}:(requests|new):.*"));
		assertThat(this.api.post("/api/visitors/blog", visit(visitor)).body())
			.isEqualTo("{\"counter\":\"blog\",\"count\":1,\"newVisitor\":true}");
		assertThat(this.api.get("/api/visitors/docs").body()).contains("\"count\":1");
	}

	@Test
	void setsListsAndResetsTheCountsOfPages() {
		HttpResponse<String> set = admin("PUT", "/api/admin/counters/blog/pages?path=/posts/hello/", "{\"count\":41}");
		assertThat(set.body()).isEqualTo("{\"path\":\"/posts/hello\",\"count\":41}");
		String visitor = UUID.randomUUID().toString();
		assertThat(this.api.post("/api/visitors/blog/pages", pageVisit(visitor, "/posts/hello")).body())
			.isEqualTo("{\"counter\":\"blog\",\"count\":1,\"newVisitor\":true,"
					+ "\"page\":{\"path\":\"/posts/hello\",\"count\":42,\"newVisitor\":true}}");
		this.api.post("/api/visitors/blog/pages", pageVisit(visitor, "/about"));
		assertThat(admin("GET", "/api/admin/counters/blog/pages", null).body()).isEqualTo(
				"{\"counter\":\"blog\",\"pages\":[{\"path\":\"/posts/hello\",\"count\":42},{\"path\":\"/about\",\"count\":1}]}");
		HttpResponse<String> reset = admin("DELETE", "/api/admin/counters/blog/pages?path=/posts/hello", null);
		assertThat(reset.body()).isEqualTo("{\"path\":\"/posts/hello\",\"count\":0,\"removedKeys\":2}");
		assertThat(this.api.get("/api/visitors/blog/pages?path=/posts/hello&path=/about").body()).isEqualTo(
				"{\"counter\":\"blog\",\"pages\":[{\"path\":\"/posts/hello\",\"count\":0},{\"path\":\"/about\",\"count\":1}]}");
		// The page's visitors went with its count: each counts again, once.
		assertThat(this.api.post("/api/visitors/blog/pages", pageVisit(visitor, "/posts/hello")).body())
			.endsWith("\"page\":{\"path\":\"/posts/hello\",\"count\":1,\"newVisitor\":true}}");
		assertThat(this.api.post("/api/visitors/blog/pages", pageVisit(visitor, "/posts/hello")).body())
			.endsWith("\"page\":{\"path\":\"/posts/hello\",\"count\":1,\"newVisitor\":false}}");
		assertThat(this.api.get("/api/visitors/blog").body()).contains("\"count\":1");
	}

	@Test
	void removesPagesAnEarlierVersionStoredUnderPathsRefusedNow() {
		this.api.post("/api/visitors/blog/pages", pageVisit(UUID.randomUUID().toString(), "/a"));
		// Earlier versions stored "/.//x" as "//x", and encoded control characters.
		this.redis.opsForZSet().add("visitors:{blog}:pages", "//evil.example/x", 3);
		this.redis.opsForZSet().add("visitors:{blog}:pages", "/%00", 2);
		assertThat(admin("POST", "/api/admin/import", admin("GET", "/api/admin/export", null).body()).statusCode())
			.isEqualTo(400);
		assertThat(admin("DELETE", "/api/admin/counters/blog/pages?path=//evil.example/x", null).body())
			.startsWith("{\"path\":\"//evil.example/x\",\"count\":0");
		assertThat(admin("DELETE", "/api/admin/counters/blog/pages?path=/%2500", null).body())
			.startsWith("{\"path\":\"/%00\",\"count\":0");
		assertThat(admin("GET", "/api/admin/counters/blog/pages", null).body())
			.isEqualTo("{\"counter\":\"blog\",\"pages\":[{\"path\":\"/a\",\"count\":1}]}");
		assertThat(admin("POST", "/api/admin/import", admin("GET", "/api/admin/export", null).body()).statusCode())
			.isEqualTo(200);
		// A path the counter does not hold is still normalised, and refused when it
		// cannot be.
		assertThat(admin("DELETE", "/api/admin/counters/blog/pages?path=//other", null).statusCode()).isEqualTo(400);
	}

	@Test
	void refusesAnInvalidPagePathAndChangesNothing() {
		for (String path : List.of("posts", "/a?b", "/%zz", "")) {
			String query = "?path=" + path.replace("%", "%25").replace("?", "%3F");
			assertThat(admin("PUT", "/api/admin/counters/blog/pages" + query, "{\"count\":1}").statusCode()).as(path)
				.isEqualTo(400);
			assertThat(admin("DELETE", "/api/admin/counters/blog/pages" + query, null).statusCode()).as(path)
				.isEqualTo(400);
		}
		HttpResponse<String> withoutPath = admin("PUT", "/api/admin/counters/blog/pages", "{\"count\":1}");
		assertThat(withoutPath.statusCode()).isEqualTo(400);
		assertThat(withoutPath.body()).contains("{\"field\":\"path\",\"message\":\"is required\"}");
		assertThat(admin("DELETE", "/api/admin/counters/blog/pages", null).body())
			.contains("{\"field\":\"path\",\"message\":\"is required\"}");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void listsCountersWithTheirCounts() {
		admin("PUT", "/api/admin/counters/blog", "{\"count\":12}");
		admin("PUT", "/api/admin/counters/about.me", "{\"count\":3}");
		assertThat(admin("GET", "/api/admin/counters", null).body())
			.isEqualTo("{\"counters\":[{\"counter\":\"about.me\",\"count\":3},{\"counter\":\"blog\",\"count\":12}]}");
	}

	@Test
	void exportsAllCountsAndImportsThemBack() {
		admin("PUT", "/api/admin/counters/blog", "{\"count\":12}");
		admin("PUT", "/api/admin/counters/default", "{\"count\":7}");
		String export = admin("GET", "/api/admin/export", null).body();
		assertThat(export).contains("\"counters\":{\"blog\":12,\"default\":7}").contains("\"exportedAt\":");
		TestRedisConfiguration.flushAll(this.redis);
		HttpResponse<String> imported = admin("POST", "/api/admin/import", export);
		assertThat(imported.body()).isEqualTo("{\"imported\":2,\"importedPages\":0}");
		assertThat(this.api.get("/api/visitors/blog").body()).contains("\"count\":12");
		assertThat(this.api.get("/api/visitors").body()).contains("\"count\":7");
	}

	@Test
	void exportsPagesAndImportsThemBack() {
		this.api.post("/api/visitors/blog/pages", pageVisit(UUID.randomUUID().toString(), "/a"));
		admin("PUT", "/api/admin/counters/blog/pages?path=/b", "{\"count\":12}");
		admin("PUT", "/api/admin/counters/docs/pages?path=/", "{\"count\":3}");
		String export = admin("GET", "/api/admin/export", null).body();
		assertThat(export).contains("\"counters\":{\"blog\":1,\"docs\":0}")
			.contains("\"blog\":{\"/a\":1,\"/b\":12}")
			.contains("\"docs\":{\"/\":3}");
		TestRedisConfiguration.flushAll(this.redis);
		assertThat(admin("POST", "/api/admin/import", export).body()).isEqualTo("{\"imported\":2,\"importedPages\":3}");
		assertThat(this.api.get("/api/visitors/blog/pages/top").body()).isEqualTo(
				"{\"counter\":\"blog\",\"pages\":[{\"path\":\"/b\",\"count\":12},{\"path\":\"/a\",\"count\":1}]}");
		assertThat(this.api.get("/api/visitors/docs/pages?path=/index.html").body())
			.isEqualTo("{\"counter\":\"docs\",\"pages\":[{\"path\":\"/\",\"count\":3}]}");
	}

	@Test
	void importsBackPagesTheOwnerSetPastTheLimit() {
		this.api.post("/api/visitors/blog/pages", pageVisit(UUID.randomUUID().toString(), "/a"));
		this.api.post("/api/visitors/blog/pages", pageVisit(UUID.randomUUID().toString(), "/b"));
		admin("PUT", "/api/admin/counters/blog/pages?path=/c", "{\"count\":7}");
		String export = admin("GET", "/api/admin/export", null).body();
		assertThat(export).contains("\"blog\":{\"/a\":1,\"/b\":1,\"/c\":7}");
		TestRedisConfiguration.flushAll(this.redis);
		assertThat(admin("POST", "/api/admin/import", export).statusCode()).isEqualTo(200);
		assertThat(admin("GET", "/api/admin/export", null).body()).contains("\"blog\":{\"/a\":1,\"/b\":1,\"/c\":7}");
	}

	@Test
	void tellsTheOwnerTheShapeOfTheBodyEachRouteTakes() {
		assertThat(admin("PUT", "/api/admin/counters/blog/pages?path=/a", "{\"count\":1.5}").body())
			.contains("such as {\\\"count\\\":1234}. Its field count has the wrong type.");
		assertThat(admin("PUT", "/api/admin/counters/blog", "nope").body()).contains("such as {\\\"count\\\":1234}.\"");
		assertThat(admin("POST", "/api/admin/import", "nope").body()).contains("as the export writes");
		assertThat(this.api.post("/api/visitors/blog/pages", "{\"visitorId\":12,\"path\":\"/a\"}").body()).contains(
				"such as {\\\"visitorId\\\":\\\"...\\\",\\\"path\\\":\\\"...\\\"}. Its field visitorId has the wrong type.");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void countsSetToTheLargestStayThereAndStillImport() {
		String largest = "9007199254740991";
		admin("PUT", "/api/admin/counters/blog", "{\"count\":" + largest + "}");
		admin("PUT", "/api/admin/counters/blog/pages?path=/a", "{\"count\":" + largest + "}");
		assertThat(this.api.post("/api/visitors/blog/pages", pageVisit(UUID.randomUUID().toString(), "/a")).body())
			.isEqualTo("{\"counter\":\"blog\",\"count\":" + largest + ",\"newVisitor\":true,"
					+ "\"page\":{\"path\":\"/a\",\"count\":" + largest + ",\"newVisitor\":true}}");
		String export = admin("GET", "/api/admin/export", null).body();
		assertThat(export).contains("\"blog\":" + largest).contains("\"blog\":{\"/a\":" + largest + "}");
		TestRedisConfiguration.flushAll(this.redis);
		assertThat(admin("POST", "/api/admin/import", export).statusCode()).isEqualTo(200);
		assertThat(admin("GET", "/api/admin/export", null).body()).contains("\"blog\":" + largest)
			.contains("\"blog\":{\"/a\":" + largest + "}");
	}

	@Test
	void refusesAnImportWithPagesThatAreNotNormalisedOrCountsThatAreNot() {
		for (String pages : List.of("{\"blog\":{\"/a/\":1}}", "{\"blog\":{\"a\":1}}", "{\"blog\":{\"/a\":-1}}",
				"{\"Bad Name\":{\"/a\":1}}", "{\"blog\":3}", "[]")) {
			HttpResponse<String> response = admin("POST", "/api/admin/import",
					"{\"counters\":{\"blog\":5},\"pages\":" + pages + "}");
			assertThat(response.statusCode()).as(pages).isEqualTo(400);
			assertThat(response.body()).as(pages).contains("\"field\":\"pages\"");
		}
		// An error in a large import says where it is.
		assertThat(admin("POST", "/api/admin/import", "{\"counters\":{\"blog\":5},\"pages\":{\"blog\":{\"/a/\":1}}}")
			.body()).contains("at \\\"blog\\\" \\\"/a/\\\"");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void refusesAnImportWithInvalidNamesOrCounts() {
		assertThat(admin("POST", "/api/admin/import", "{\"counters\":{\"Bad Name\":1}}").statusCode()).isEqualTo(400);
		assertThat(admin("POST", "/api/admin/import", "{\"counters\":{\"blog\":-5}}").statusCode()).isEqualTo(400);
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void limitsFailedAttemptsEvenForTheRightTokenAfterwards() {
		int failures = 0;
		while (call(ROUTES.get(0), "Authorization", "Bearer wrong-guess-" + failures).statusCode() == 401) {
			failures++;
			assertThat(failures).isLessThanOrEqualTo(AdminAuthentication.FAILURES_ALLOWED);
		}
		assertThat(failures).isEqualTo(AdminAuthentication.FAILURES_ALLOWED);
		HttpResponse<String> blocked = call(ROUTES.get(0), "Authorization", "Bearer " + TOKEN);
		assertThat(blocked.statusCode()).isEqualTo(429);
		assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
	}

	@Test
	void importsAnExportOfThousandsOfCountersOrNothingAtAll() {
		StringBuilder counters = new StringBuilder();
		for (int i = 0; i < 5_000; i++) {
			counters.append((i > 0) ? "," : "").append("\"page-").append(i).append("\":").append(i);
		}
		String export = "{\"exportedAt\":\"2026-12-05T00:00:00Z\",\"counters\":{" + counters + "}}";
		assertThat(export).hasSizeGreaterThan(50_000);
		HttpResponse<String> refused = admin("POST", "/api/admin/import", export.replace("}}", ",\"Not Valid\":1}}"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(this.redis.keys("*")).as("nothing written by an import with one invalid entry").isEmpty();
		assertThat(admin("POST", "/api/admin/import", export).body())
			.isEqualTo("{\"imported\":5000,\"importedPages\":0}");
		assertThat(this.api.get("/api/visitors/page-4999").body()).contains("\"count\":4999");
		assertThat(admin("GET", "/api/admin/counters", null).body()).contains("{\"counter\":\"page-0\",\"count\":0}");
	}

	private static String pageVisit(String visitorId, String path) {
		return "{\"visitorId\":\"" + visitorId + "\",\"path\":\"" + path + "\"}";
	}

	private HttpResponse<String> admin(String method, String path, String json) {
		return call(new String[] { method, path, json }, "Authorization", "Bearer " + TOKEN);
	}

	private HttpResponse<String> call(String[] route, String... headers) {
		var request = this.api.request(route[1], headers);
		if (route[2] != null) {
			request.header("Content-Type", "application/json");
		}
		return this.api.send(request.method(route[0],
				(route[2] != null) ? BodyPublishers.ofString(route[2]) : BodyPublishers.noBody()));
	}

}
