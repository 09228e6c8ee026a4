package io.github.visitorcounter.visitor;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.RedisMonitor;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pages of a counter end to end, over HTTP, against a real Redis.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "visitors.pages.max-per-counter=3")
@WithoutLimits
class PageApiTests extends ApiTestSupport {

	static String pageVisit(String visitorId, String path) {
		return "{\"visitorId\":\"" + visitorId + "\",\"path\":\"" + path + "\"}";
	}

	/** A read's body, once it was answered 200 and not to be stored. */
	private String read(String path) {
		HttpResponse<String> response = this.api.get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		return response.body();
	}

	private HttpResponse<String> visitPage(String counter, String visitorId, String path) {
		return this.api.post("/api/visitors/" + counter + "/pages", pageVisit(visitorId, path));
	}

	@Test
	void countsAVisitorOncePerSiteAndOncePerPage() {
		String alice = UUID.randomUUID().toString();
		String bob = UUID.randomUUID().toString();
		assertThat(visitPage("blog", alice, "/posts/hello").body()).isEqualTo(
				"{\"counter\":\"blog\",\"count\":1,\"newVisitor\":true,\"page\":{\"path\":\"/posts/hello\",\"count\":1,\"newVisitor\":true}}");
		assertThat(visitPage("blog", alice, "/posts/other/").body()).isEqualTo(
				"{\"counter\":\"blog\",\"count\":1,\"newVisitor\":false,\"page\":{\"path\":\"/posts/other\",\"count\":1,\"newVisitor\":true}}");
		assertThat(visitPage("blog", alice, "/posts/./hello/index.html").body()).isEqualTo(
				"{\"counter\":\"blog\",\"count\":1,\"newVisitor\":false,\"page\":{\"path\":\"/posts/hello\",\"count\":1,\"newVisitor\":false}}");
		HttpResponse<String> response = visitPage("blog", bob, "/posts/%68ello");
		assertThat(response.body()).isEqualTo(
				"{\"counter\":\"blog\",\"count\":2,\"newVisitor\":true,\"page\":{\"path\":\"/posts/hello\",\"count\":2,\"newVisitor\":true}}");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.headers().firstValue("Visit-Not-Counted")).isEmpty();
		assertThat(this.api.get("/api/visitors/blog").body()).isEqualTo("{\"counter\":\"blog\",\"count\":2}");
	}

	@Test
	void aVisitToAPageIsAVisitToTheSiteForItsLiveCountAndItsDailyUniques() {
		String alice = UUID.randomUUID().toString();
		visitPage("blog", alice, "/a");
		try (EventStream stream = EventStream.open(this.port, "/api/visitors/blog/stream")) {
			stream.awaitCount(1, Duration.ofSeconds(5));
			visitPage("blog", UUID.randomUUID().toString(), "/b");
			assertThat(stream.awaitCount(2, Duration.ofSeconds(5)).count()).isEqualTo(2);
		}
		// Returning to the site on another page: a unique of today already.
		visitPage("blog", alice, "/b");
		assertThat(read("/api/visitors/blog/stats?days=1")).contains("\"today\":2").contains("\"total\":2");
	}

	@Test
	void registersAVisitToAPageWithOneScriptCallAndReadsWithOne() throws Exception {
		// The first visit admits the counter and loads the script.
		visitPage("blog", UUID.randomUUID().toString(), "/");
		this.api.get("/api/visitors/blog/pages/top");
		String returning = UUID.randomUUID().toString();
		RedisServer redisServer = RedisServer.shared();
		try (RedisMonitor monitor = new RedisMonitor(redisServer.host(), redisServer.port())) {
			for (int i = 0; i < 10; i++) {
				String visitor = (i % 2 == 0) ? returning : UUID.randomUUID().toString();
				assertThat(visitPage("blog", visitor, "/posts/" + (i % 3)).statusCode()).isEqualTo(200);
			}
			read("/api/visitors/blog/pages?path=/a&path=/b");
			read("/api/visitors/blog/pages/top");
			read("/api/visitors?counter=blog&counter=other");
			// Ten visits and two page reads, each a script call; the counts of many
			// counters
			// one MGET.
			List<String> expected = new ArrayList<>(Collections.nCopies(12, "evalsha"));
			expected.add("mget");
			await().atMost(Duration.ofSeconds(5)).until(() -> monitor.clientCommands().size() >= expected.size());
			assertThat(monitor.clientCommands()).isEqualTo(expected);
		}
	}

	@Test
	void aCrawlerIsAnsweredButCountedNeitherForTheSiteNorForThePage() {
		HttpResponse<String> crawler = this.api.post("/api/visitors/blog/pages",
				pageVisit(UUID.randomUUID().toString(), "/crawled"), "User-Agent",
				"Mozilla/5.0 (compatible; Googlebot/2.1)");
		assertThat(crawler.statusCode()).isEqualTo(200);
		assertThat(crawler.headers().firstValue("Visit-Not-Counted")).hasValue("bot");
		assertThat(crawler.body()).isEqualTo("{\"counter\":\"blog\",\"count\":0,\"newVisitor\":false,"
				+ "\"page\":{\"path\":\"/crawled\",\"count\":0,\"newVisitor\":false}}");
		assertThat(read("/api/visitors/blog/pages/top")).isEqualTo("{\"counter\":\"blog\",\"pages\":[]}");
	}

	@Test
	void readsPagesInTheOrderAskedWithZeroForUnknownOnes() {
		visitPage("blog", UUID.randomUUID().toString(), "/a");
		visitPage("blog", UUID.randomUUID().toString(), "/a");
		visitPage("blog", UUID.randomUUID().toString(), "/b");
		assertThat(read("/api/visitors/blog/pages?path=/b/&path=/nothing&path=/a")).isEqualTo(
				"{\"counter\":\"blog\",\"pages\":[{\"path\":\"/b\",\"count\":1},{\"path\":\"/nothing\",\"count\":0},{\"path\":\"/a\",\"count\":2}]}");
	}

	@Test
	void readsTheTopPagesMostVisitedFirst() {
		for (int i = 0; i < 3; i++) {
			visitPage("blog", UUID.randomUUID().toString(), "/three");
		}
		visitPage("blog", UUID.randomUUID().toString(), "/one");
		visitPage("blog", UUID.randomUUID().toString(), "/two");
		visitPage("blog", UUID.randomUUID().toString(), "/two");
		assertThat(this.api.get("/api/visitors/blog/pages/top").body()).isEqualTo(
				"{\"counter\":\"blog\",\"pages\":[{\"path\":\"/three\",\"count\":3},{\"path\":\"/two\",\"count\":2},{\"path\":\"/one\",\"count\":1}]}");
		assertThat(read("/api/visitors/blog/pages/top?limit=2")).isEqualTo(
				"{\"counter\":\"blog\",\"pages\":[{\"path\":\"/three\",\"count\":3},{\"path\":\"/two\",\"count\":2}]}");
		assertThat(this.api.get("/api/visitors/empty/pages/top").body())
			.isEqualTo("{\"counter\":\"empty\",\"pages\":[]}");
	}

	@Test
	void countsTheSiteButCreatesNoPagePastTheLimit() {
		for (String path : new String[] { "/1", "/2", "/3" }) {
			visitPage("blog", UUID.randomUUID().toString(), path);
		}
		String visitor = UUID.randomUUID().toString();
		HttpResponse<String> response = visitPage("blog", visitor, "/4");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Visit-Not-Counted")).hasValue("page-limit");
		assertThat(response.body()).isEqualTo(
				"{\"counter\":\"blog\",\"count\":4,\"newVisitor\":true,\"page\":{\"path\":\"/4\",\"count\":0,\"newVisitor\":false}}");
		// A page the counter holds is still counted.
		HttpResponse<String> known = visitPage("blog", visitor, "/1");
		assertThat(known.headers().firstValue("Visit-Not-Counted")).isEmpty();
		assertThat(known.body()).contains("\"page\":{\"path\":\"/1\",\"count\":2,\"newVisitor\":true}");
		assertThat(this.redis.opsForZSet().size("visitors:{blog}:pages")).isEqualTo(3);
		assertThat(this.redis.keys("visitors:{blog}:page:*")).hasSize(3);
	}

	@Test
	void readsAPathAloneAsWithOthersCommasAndSpacesIncluded() {
		visitPage("blog", UUID.randomUUID().toString(), "/tags/a,b");
		visitPage("blog", UUID.randomUUID().toString(), "/a ");
		String commaPage = "{\"path\":\"/tags/a,b\",\"count\":1}";
		String spacePage = "{\"path\":\"/a%20\",\"count\":1}";
		assertThat(read("/api/visitors/blog/pages?path=/tags/a,b")).contains(commaPage);
		assertThat(read("/api/visitors/blog/pages?path=/tags/a,b&path=/a%20")).contains(commaPage, spacePage);
		assertThat(read("/api/visitors/blog/pages?path=/a%20")).contains(spacePage);
	}

	@Test
	void refusesAnEmptyOrMissingPathOrCounterAndReadsNothing() {
		for (String read : List.of("/api/visitors/blog/pages?path=", "/api/visitors/blog/pages?path",
				"/api/visitors/blog/pages", "/api/visitors/blog/pages?path=%20/a", "/api/visitors?counter=")) {
			HttpResponse<String> response = this.api.get(read);
			assertThat(response.statusCode()).as(read).isEqualTo(400);
			assertThat(response.body()).as(read).contains("invalid-request").contains("\"field\"");
		}
	}

	@Test
	void readsManyCountersInTheOrderAsked() {
		this.api.post("/api/visitors/a", ApiClient.visit(UUID.randomUUID().toString()));
		visitPage("b", UUID.randomUUID().toString(), "/");
		visitPage("b", UUID.randomUUID().toString(), "/");
		assertThat(read("/api/visitors?counter=b&counter=never&counter=a")).isEqualTo(
				"{\"counters\":[{\"counter\":\"b\",\"count\":2},{\"counter\":\"never\",\"count\":0},{\"counter\":\"a\",\"count\":1}]}");
		assertThat(this.api.get("/api/visitors").body()).isEqualTo("{\"counter\":\"default\",\"count\":0}");
	}

}
