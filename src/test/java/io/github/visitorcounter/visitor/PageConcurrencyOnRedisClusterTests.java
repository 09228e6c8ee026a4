package io.github.visitorcounter.visitor;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.RedisCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent visits to pages against a Redis Cluster: the site's keys and its pages' keys
 * share its hash slot, so each visit stays one script call; and the owner's page work
 * (reset, export's scan, a counter's delete) on counters spread over the masters.
 */
class PageConcurrencyOnRedisClusterTests extends PageConcurrencyTestSupport {

	@RegisterExtension
	static final RedisCluster cluster = RedisCluster.start();

	@Test
	void resetsExportsAndDeletesPagesOfCountersOnEveryMaster() {
		ApiClient api = new ApiClient(this.port);
		List<String> counters = List.of("alpha", "beta", "gamma", "delta");
		assertThat(counters.stream().map((counter) -> cluster.masterOf("{" + counter + "}")).distinct())
			.as("masters of the counters")
			.hasSizeGreaterThan(1);
		for (String counter : counters) {
			api.post("/api/visitors/" + counter + "/pages", PageApiTests.pageVisit(UUID.randomUUID().toString(), "/a"));
			api.post("/api/visitors/" + counter + "/pages", PageApiTests.pageVisit(UUID.randomUUID().toString(), "/b"));
		}
		String export = owner(api, "GET", "/api/admin/export").body();
		counters.forEach((counter) -> assertThat(export).contains("\"" + counter + "\":{\"/a\":1,\"/b\":1}"));
		assertThat(owner(api, "DELETE", "/api/admin/counters/beta/pages?path=/a").body())
			.isEqualTo("{\"path\":\"/a\",\"count\":0,\"removedKeys\":2}");
		assertThat(api.get("/api/visitors/beta/pages/top").body())
			.isEqualTo("{\"counter\":\"beta\",\"pages\":[{\"path\":\"/b\",\"count\":1}]}");
		assertThat(owner(api, "DELETE", "/api/admin/counters/gamma").statusCode()).isEqualTo(200);
		assertThat(api.get("/api/visitors/gamma/pages?path=/a&path=/b").body()).isEqualTo(
				"{\"counter\":\"gamma\",\"pages\":[{\"path\":\"/a\",\"count\":0},{\"path\":\"/b\",\"count\":0}]}");
		assertThat(owner(api, "GET", "/api/admin/export").body()).doesNotContain("\"gamma\"");
	}

	private static HttpResponse<String> owner(ApiClient api, String method, String path) {
		return api.send(api.request(path, "Authorization", "Bearer " + TOKEN).method(method, BodyPublishers.noBody()));
	}

}
