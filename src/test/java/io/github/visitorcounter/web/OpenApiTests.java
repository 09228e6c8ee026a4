package io.github.visitorcounter.web;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description lists every route the application serves, and real responses
 * match its schemas.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "visitors.admin-token=" + OpenApiTests.TOKEN)
class OpenApiTests extends ApiTestSupport {

	static final String TOKEN = "openapi-admin-token-0123456789";

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping handlerMapping;

	@Test
	void describesEveryRouteTheApplicationServes() {
		JsonNode paths = spec().get("paths");
		List<String> routes = new ArrayList<>();
		this.handlerMapping.getHandlerMethods().keySet().forEach((mapping) -> {
			for (String pattern : mapping.getPatternValues()) {
				if (pattern.startsWith("/api/")) {
					mapping.getMethodsCondition()
						.getMethods()
						.forEach((method) -> routes.add(method.name().toLowerCase(Locale.ROOT) + " " + pattern));
				}
			}
		});
		assertThat(routes).isNotEmpty()
			.contains("post /api/visitors", "get /api/visitors/{counter}", "delete /api/admin/counters/{counter}");
		assertThat(routes).allSatisfy((route) -> {
			String[] parts = route.split(" ");
			assertThat(paths.has(parts[1])).as("path %s", parts[1]).isTrue();
			JsonNode operation = paths.get(parts[1]).get(parts[0]);
			assertThat(operation).as("operation %s", route).isNotNull();
			assertThat(operation.has("summary") || operation.has("description")).as("%s is described", route).isTrue();
		});
	}

	@Test
	void describesEveryProblemType() {
		JsonNode spec = spec();
		String description = spec.get("info").get("description").asString();
		for (ProblemType type : ProblemType.values()) {
			assertThat(description).contains(type.problem().getType().toString());
		}
		assertThat(spec.get("paths").get("/api/visitors").get("post").get("responses").has("429")).isTrue();
	}

	@Test
	void servesSwaggerUi() {
		assertThat(this.api.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
	}

	@Test
	void realResponsesMatchTheirSchemas() {
		OpenApiSchemas schemas = new OpenApiSchemas(spec());
		String id = UUID.randomUUID().toString();
		assertMatches(schemas, "post", "/api/visitors", this.api.post("/api/visitors", visit(id)));
		assertMatches(schemas, "post", "/api/visitors/{counter}", this.api.post("/api/visitors/blog", visit(id)));
		assertMatches(schemas, "get", "/api/visitors", this.api.get("/api/visitors"));
		assertMatches(schemas, "get", "/api/visitors/{counter}", this.api.get("/api/visitors/blog"));
		assertMatches(schemas, "post", "/api/visitors", this.api.post("/api/visitors", "{}"));
		assertMatches(schemas, "post", "/api/visitors", this.api.post("/api/visitors", "{\"visitorId\":"));
		assertMatches(schemas, "get", "/api/visitors/{counter}", this.api.get("/api/visitors/Bad"));
		String[] auth = { "Authorization", "Bearer " + TOKEN };
		assertMatches(schemas, "put", "/api/admin/counters/{counter}",
				this.api.send(this.api.request("/api/admin/counters/blog", auth)
					.header("Content-Type", "application/json")
					.PUT(BodyPublishers.ofString("{\"count\":7}"))));
		assertMatches(schemas, "get", "/api/admin/counters", this.api.get("/api/admin/counters", auth));
		assertMatches(schemas, "get", "/api/admin/export", this.api.get("/api/admin/export", auth));
		assertMatches(schemas, "post", "/api/admin/import",
				this.api.post("/api/admin/import", "{\"counters\":{\"blog\":7}}", auth));
		assertMatches(schemas, "delete", "/api/admin/counters/{counter}",
				this.api.send(this.api.request("/api/admin/counters/blog", auth).DELETE()));
		assertMatches(schemas, "get", "/api/admin/counters", this.api.get("/api/admin/counters"));
	}

	@Test
	void documentsTheRulesOfEveryCounterNameAndTheVisitorId() {
		JsonNode spec = spec();
		for (String method : List.of("post", "get")) {
			JsonNode counter = spec.at("/paths/~1api~1visitors~1{counter}/" + method + "/parameters/0");
			assertThat(counter.path("name").asString()).as(method).isEqualTo("counter");
			assertThat(counter.at("/schema/type").asString()).as(method).isEqualTo("string");
			assertThat(counter.at("/schema/pattern").asString()).as(method).isEqualTo(CounterNames.PATTERN);
		}
		JsonNode visitRequest = spec.at("/components/schemas/VisitRequest");
		assertThat(visitRequest.at("/properties/visitorId/pattern").asString()).isEqualTo("[A-Za-z0-9_-]{16,128}");
		assertThat(visitRequest.path("required").toString()).isEqualTo("[\"visitorId\"]");
	}

	private void assertMatches(OpenApiSchemas schemas, String method, String path, HttpResponse<String> response) {
		String mediaType = response.headers().firstValue("Content-Type").orElseThrow().split(";")[0];
		JsonNode schema = schemas.responseSchema(method, path, response.statusCode(), mediaType);
		assertThat(schema).as("%s %s documents %s %s", method, path, response.statusCode(), mediaType).isNotNull();
		assertThat(schemas.violations(schema, json.readTree(response.body())))
			.as("%s %s -> %s %s", method, path, response.statusCode(), response.body())
			.isEmpty();
	}

	private JsonNode spec() {
		HttpResponse<String> response = this.api.get("/v3/api-docs");
		assertThat(response.statusCode()).isEqualTo(200);
		return json.readTree(response.body());
	}

}
