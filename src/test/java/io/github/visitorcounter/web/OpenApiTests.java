package io.github.visitorcounter.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.OpenApiContract;
import io.github.visitorcounter.testing.RawHttp;
import io.github.visitorcounter.testing.WithoutLimits;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
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
 * The OpenAPI document: the application serves the committed copy
 * ({@code docs/openapi.json}, from which the test client is generated), an independent
 * validator finds nothing wrong with it, it lists every route, takes nothing from the
 * request, and its patterns accept exactly what the server accepts. That every response
 * matches it is checked for every test ({@code testing.DocumentedResponses}), and that
 * every declared response is given by {@link ApiContractTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.admin-token=" + OpenApiTests.TOKEN, "server.forward-headers-strategy=native" })
@WithoutLimits
class OpenApiTests extends ApiTestSupport {

	static final String TOKEN = "openapi-admin-token-0123456789";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Path SERVED = Path.of("target", "openapi.json");

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping handlerMapping;

	@Test
	void servesTheCommittedDocument() throws IOException {
		JsonNode served = served();
		Files.writeString(SERVED, json.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
		assertThat(served)
			.as("the served document differs from %s: if the change is intended, copy %s over it",
					OpenApiContract.DOCUMENT, SERVED)
			.isEqualTo(json.readTree(OpenApiContract.published().json()));
	}

	@Test
	void passesAnIndependentValidatorWithEveryReferenceResolved() {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		options.setResolveFully(true);
		options.setValidateInternalRefs(true);
		SwaggerParseResult result = new OpenAPIV3Parser().readContents(OpenApiContract.published().json(), null,
				options);
		assertThat(result.getMessages()).isEmpty();
		assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.0.1");
		JsonNode document = json.readTree(OpenApiContract.published().json());
		List<String> references = new ArrayList<>();
		collectReferences(document, references);
		assertThat(references).isNotEmpty().allSatisfy((reference) -> {
			assertThat(reference).startsWith("#/");
			assertThat(document.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
		});
		assertThat(OpenApiContract.published().json()).as("exact media types only").doesNotContain("*/*");
	}

	@Test
	void neverTakesItsServerFromTheRequest() {
		RawHttp.Response response = RawHttp.exchange(this.port, """
				GET /v3/api-docs HTTP/1.1\r
				Host: evil.example\r
				X-Forwarded-Host: forwarded.example\r
				X-Forwarded-Proto: https\r
				Connection: close\r
				\r
				""", Duration.ofSeconds(10));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).doesNotContain("evil.example", "forwarded.example");
		assertThat(served().get("servers")).hasSize(1);
		assertThat(served().at("/servers/0/url").asString()).isEqualTo("/");
	}

	@Test
	void describesEveryRouteTheApplicationServes() {
		JsonNode paths = served().get("paths");
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
		assertThat(routes).hasSize(21)
			.contains("post /api/visitors", "get /api/visitors/{counter}", "delete /api/admin/counters/{counter}",
					"post /api/visitors/{counter}/pages", "get /api/visitors/{counter}/pages/top");
		assertThat(routes).allSatisfy((route) -> {
			String[] parts = route.split(" ");
			JsonNode operation = paths.path(parts[1]).path(parts[0]);
			assertThat(operation.isObject()).as("operation %s", route).isTrue();
			assertThat(operation.has("summary")).as("%s is described", route).isTrue();
		});
	}

	@Test
	void describesEveryProblemType() {
		String description = served().get("info").get("description").asString();
		for (ProblemType type : ProblemType.values()) {
			assertThat(description).contains(type.type().toString());
		}
		assertThat(served().at("/components/schemas/Problem/properties/type/enum"))
			.hasSize(ProblemType.values().length);
	}

	/**
	 * Each example the document gives fits the schema it stands in, as a validator or a
	 * generated client's tests would check it.
	 */
	@Test
	void everyExampleFitsItsSchema() {
		SchemaValidator schemas = new SchemaValidator(OpenApiContract.published().openApi(), new MessageResolver());
		List<String> misfits = new ArrayList<>();
		OpenApiContract.published()
			.openApi()
			.getComponents()
			.getSchemas()
			.forEach((name, schema) -> collectMisfits(schemas, name, schema, misfits));
		assertThat(misfits).isEmpty();
	}

	@SuppressWarnings("rawtypes")
	private static void collectMisfits(SchemaValidator schemas, String where, Schema<?> schema, List<String> misfits) {
		if (schema.getExample() != null) {
			ValidationReport report = schemas
				.validate(() -> io.swagger.v3.core.util.Json.mapper().valueToTree(schema.getExample()), schema, where);
			report.getMessages().forEach((message) -> misfits.add(where + ": " + message.getMessage()));
		}
		if (schema.getProperties() != null) {
			schema.getProperties()
				.forEach((property, value) -> collectMisfits(schemas, where + "." + property, value, misfits));
		}
		if (schema.getItems() != null) {
			collectMisfits(schemas, where + "[]", schema.getItems(), misfits);
		}
		if (schema.getAdditionalProperties() instanceof Schema values) {
			collectMisfits(schemas, where + "{}", values, misfits);
		}
	}

	@Test
	void servesSwaggerUi() {
		assertThat(this.api.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
	}

	@Test
	void counterNamePatternAcceptsWhatTheServerAccepts() {
		List<String> names = List.of("a", "0", "blog", "blog.posts_2-x", "a".repeat(64), "a".repeat(65), "Blog", "-a",
				".a", "_a", "stats", "stream", "badge.svg", "stats.x", "xstats", "stats-", "badge-svg", "badge.svgx",
				"streams", "a:b", "a*b", "a,b", "a~b");
		assertSameVerdicts(names, (name) -> "/api/visitors/" + name + "/stats", Map.of());
	}

	@Test
	void visitorIdPatternAcceptsWhatTheServerAccepts() {
		OpenApiInteractionValidator validator = validator();
		for (String id : List.of("0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a", "a".repeat(15), "a".repeat(16),
				"a".repeat(128), "a".repeat(129), "01ARZ3NDEKTSV4RRFFQ69G5FAV", "V1StGXR8_Z5jdHi6B-myT",
				"abcdefghijklmno+", "abcdefghijklmno=", "abcdefghijklmno.", "abcdefghijklmno ", "abcdefghijklmnoä")) {
			String body = visit(id);
			boolean server = this.api.post("/api/visitors/patterns", body).statusCode() == 200;
			boolean document = !validator
				.validateRequest(SimpleRequest.Builder.post("/api/visitors/patterns")
					.withContentType("application/json")
					.withBody(body)
					.build())
				.hasErrors();
			assertThat(document).as("the document on visitor id %s", id).isEqualTo(server);
		}
	}

	@Test
	void badgeAndStatsParametersAcceptWhatTheServerAccepts() {
		assertSameVerdicts(List.of("a", "readers", "a".repeat(40), "a".repeat(41), "a\u0001b", "a\u001fb", "a\u007fb",
				"a\u0080b", "tab\tb", "emoji \uD83D\uDE00", "\uD83D\uDE00".repeat(20), "\uD83D\uDE00".repeat(21),
				"<script>", "a b"), (label) -> "/api/visitors/patterns/badge.svg", Map.of("label", "%s"));
		assertSameVerdicts(
				List.of("red", "RED", "brightgreen", "lightgrey", "blueviolet", "abc", "ABC", "abcd", "12345", "123456",
						"1234567", "ggg", "#abc", "blue ", "greenx", "xgreen"),
				(color) -> "/api/visitors/patterns/badge.svg", Map.of("color", "%s"));
		assertSameVerdicts(List.of("1", "30", "365", "0", "366", "-1", "abc", "1.5", "99999999999"),
				(days) -> "/api/visitors/patterns/stats", Map.of("days", "%s"));
	}

	/**
	 * Asks the server and the document (through an independent request validator) whether
	 * each value is valid, in a path or as the one query parameter.
	 */
	private void assertSameVerdicts(List<String> values, Function<String, String> path, Map<String, String> query) {
		OpenApiInteractionValidator validator = validator();
		for (String value : values) {
			SimpleRequest.Builder request = SimpleRequest.Builder.get(path.apply(value));
			String uri = path.apply(value);
			for (Map.Entry<String, String> parameter : query.entrySet()) {
				String parameterValue = parameter.getValue().formatted(value);
				request.withQueryParam(parameter.getKey(), parameterValue);
				uri += "?" + parameter.getKey() + "=" + URLEncoder.encode(parameterValue, StandardCharsets.UTF_8);
			}
			int status = this.api.get(uri).statusCode();
			assertThat(status).as(uri).isIn(200, 400);
			boolean document = !validator.validateRequest(request.build()).hasErrors();
			assertThat(document).as("the document on %s (the server answered %d)", uri, status)
				.isEqualTo(status == 200);
		}
	}

	private static OpenApiInteractionValidator validator() {
		return OpenApiInteractionValidator.createForInlineApiSpecification(OpenApiContract.published().json()).build();
	}

	private static void collectReferences(JsonNode node, List<String> references) {
		if (node.isObject()) {
			node.properties().forEach((property) -> {
				if (property.getKey().equals("$ref")) {
					references.add(property.getValue().asString());
				}
				else {
					collectReferences(property.getValue(), references);
				}
			});
		}
		else if (node.isArray()) {
			node.forEach((element) -> collectReferences(element, references));
		}
	}

	private JsonNode served() {
		return json.readTree(this.api.get("/v3/api-docs").body());
	}

}
