package io.github.visitorcounter;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.visitorcounter.client.ApiException;
import io.github.visitorcounter.client.api.OwnerApi;
import io.github.visitorcounter.client.api.VisitorsApi;
import io.github.visitorcounter.client.model.NewCount;
import io.github.visitorcounter.client.model.VisitRequest;
import io.github.visitorcounter.client.model.VisitResponse;
import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.OpenApiContract;
import io.github.visitorcounter.testing.PackagedJar;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The jar as {@code ./mvnw package} builds it, started as a separate process the way the
 * image starts it: {@code java -Dspring.aot.enabled=true -jar}, from the bean definitions
 * Spring AOT generated at build time. Run by failsafe after {@code package}.
 */
class PackagedJarIntegrationTests {

	private static final String ADMIN_TOKEN = "admin-token-" + UUID.randomUUID();

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	private static PackagedJar app;

	private static ApiClient api;

	private static int port;

	@BeforeAll
	static void startJar() {
		app = PackagedJar.start(Map.of("REDIS_URL", redis.url(), "VISITORS_ADMIN_TOKEN", ADMIN_TOKEN,
				"VISITORS_ID_SECRET", "packaged-jar-test-secret-" + UUID.randomUUID()))
			.awaitReady();
		api = app.api();
		port = app.port();
	}

	@AfterAll
	static void stopJar() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void startsFromTheAheadOfTimeProcessedBeanDefinitions() {
		assertThat(app.log()).contains("Starting AOT-processed VisitorCounterApplication");
	}

	@Test
	void countsAVisitorOnce() {
		String visitor = UUID.randomUUID().toString();
		HttpResponse<String> first = api.post("/api/visitors/jar", visit(visitor));
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo("{\"counter\":\"jar\",\"count\":1,\"newVisitor\":true}");
		assertThat(api.post("/api/visitors/jar", visit(visitor)).body()).contains("\"count\":1,\"newVisitor\":false");
		assertThat(api.get("/api/visitors/jar").body()).isEqualTo("{\"counter\":\"jar\",\"count\":1}");
	}

	@Test
	void answersBadInputWithAProblem() {
		HttpResponse<String> response = api.post("/api/visitors", "{\"visitorId\":\"no\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void streamsLiveCounts() {
		try (EventStream stream = EventStream.open(port, "/api/visitors/jar-live/stream")) {
			stream.awaitCount(0, Duration.ofSeconds(5));
			api.post("/api/visitors/jar-live", visit(UUID.randomUUID().toString()));
			stream.awaitCount(1, Duration.ofSeconds(2));
		}
	}

	@Test
	void servesTheOwnerApiOnlyWithItsToken() {
		assertThat(api.get("/api/admin/counters").statusCode()).isEqualTo(401);
		assertThat(api.get("/api/admin/counters", "Authorization", "Bearer " + ADMIN_TOKEN).statusCode())
			.isEqualTo(200);
	}

	/**
	 * A Java client that openapi-generator made from the committed OpenAPI document at
	 * build time (pom.xml, {@code generate-test-sources}), against the jar.
	 */
	@Test
	void servesAClientGeneratedFromItsOpenApiDocument() throws ApiException {
		io.github.visitorcounter.client.ApiClient client = new io.github.visitorcounter.client.ApiClient();
		client.updateBaseUri("http://localhost:" + port);
		VisitorsApi visitors = new VisitorsApi(client);
		String visitor = UUID.randomUUID().toString();
		VisitResponse visit = visitors.registerVisit("generated", new VisitRequest().visitorId(visitor));
		assertThat(visit.getCounter()).isEqualTo("generated");
		assertThat(visit.getCount()).isEqualTo(1L);
		assertThat(visit.getNewVisitor()).isTrue();
		assertThat(visitors.registerVisit("generated", new VisitRequest().visitorId(visitor)).getNewVisitor())
			.isFalse();
		assertThat(visitors.readCount("generated").getCount()).isEqualTo(1L);
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> visitors.registerVisit("generated", new VisitRequest().visitorId("short")))
			.satisfies((problem) -> assertThat(problem.getCode()).isEqualTo(400));

		client.setRequestInterceptor((request) -> request.header("Authorization", "Bearer " + ADMIN_TOKEN));
		new OwnerApi(client).setCount("generated", new NewCount().count(1234L));
		assertThat(visitors.readCount("generated").getCount()).isEqualTo(1234L);
	}

	@Test
	void servesTheCommittedOpenApiDocument() {
		JsonMapper json = JsonMapper.builder().build();
		assertThat(json.readTree(api.get("/v3/api-docs").body()))
			.isEqualTo(json.readTree(OpenApiContract.published().json()));
	}

	@Test
	void servesHealthInfoAndMetricsOnly() {
		assertThat(api.get("/actuator/health").body()).contains("\"status\":\"UP\"");
		assertThat(api.get("/actuator/prometheus").body()).contains("http_server_requests_seconds_count");
		for (String hidden : List.of("/actuator/env", "/actuator/beans", "/actuator/heapdump")) {
			assertThat(api.get(hidden).statusCode()).as(hidden).isEqualTo(404);
		}
	}

}
