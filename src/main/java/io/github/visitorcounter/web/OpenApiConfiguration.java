package io.github.visitorcounter.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.counter.VisitorIds;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (Swagger UI at
 * {@code /swagger-ui.html}): the API's operations as Spring MVC maps them, plus the
 * problem document every error answers with and, on every operation, the errors it can
 * answer with.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String PROBLEM = "Problem";

	@Bean
	OpenAPI visitorCounterApi() {
		return new OpenAPI()
			.info(new Info().title("visitor-counter")
				.version("v1")
				.description("Counts each anonymous visitor of a site once, in Redis. Errors are "
						+ "application/problem+json (RFC 9457); their `type` is one of:\n\n" + problemTypes())
				.license(new License().name("Apache License 2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
			.components(new Components().addSchemas(PROBLEM, problemSchema())
				.addSecuritySchemes("adminToken",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("VISITORS_ADMIN_TOKEN")));
	}

	@Bean
	OpenApiCustomizer problemResponses() {
		return (openApi) -> openApi.getPaths().forEach((path, item) -> {
			item.readOperationsMap().forEach((method, operation) -> addProblems(path, method, operation));
		});
	}

	/**
	 * {@link CounterName} is a composed constraint, which springdoc does not read: every
	 * {@code counter} path parameter gets the pattern the server enforces.
	 */
	@Bean
	OpenApiCustomizer counterNamePattern() {
		return (openApi) -> openApi.getPaths()
			.values()
			.forEach((item) -> item.readOperations()
				.stream()
				.filter((operation) -> operation.getParameters() != null)
				.flatMap((operation) -> operation.getParameters().stream())
				.filter((parameter) -> "counter".equals(parameter.getName()) && "path".equals(parameter.getIn()))
				.forEach((parameter) -> parameter.getSchema().pattern(CounterNames.PATTERN)));
	}

	private static void addProblems(String path, PathItem.HttpMethod method, Operation operation) {
		Map<ProblemType, Boolean> problems = new LinkedHashMap<>();
		boolean admin = path.startsWith("/api/admin");
		boolean hasBody = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT;
		problems.put(ProblemType.INVALID_REQUEST, path.contains("{") || hasBody);
		problems.put(ProblemType.MALFORMED_BODY, hasBody);
		problems.put(ProblemType.UNAUTHORIZED, admin);
		problems.put(ProblemType.ORIGIN_NOT_ALLOWED, !admin);
		problems.put(ProblemType.PAYLOAD_TOO_LARGE, hasBody);
		problems.put(ProblemType.UNSUPPORTED_MEDIA_TYPE, hasBody);
		problems.put(ProblemType.RATE_LIMITED, admin || (method == PathItem.HttpMethod.POST) || path.endsWith("/stats")
				|| path.endsWith("/badge.svg"));
		problems.put(ProblemType.TOO_MANY_CLIENT_STREAMS, path.endsWith("/stream"));
		problems.put(ProblemType.TOO_MANY_STREAMS, path.endsWith("/stream"));
		problems.put(ProblemType.STORAGE_UNAVAILABLE, true);
		problems.forEach((type, applies) -> {
			if (applies) {
				String status = Integer.toString(type.status().value());
				ApiResponse existing = operation.getResponses().get(status);
				String description = type.problem().getTitle() + " (`" + type.problem().getType() + "`)";
				operation.getResponses()
					.addApiResponse(status, new ApiResponse()
						.description((existing != null && !existing.getDescription().contains(description))
								? existing.getDescription() + "; " + description : description)
						.content(new Content().addMediaType("application/problem+json",
								new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
			}
		});
	}

	private static String problemTypes() {
		return Arrays.stream(ProblemType.values())
			.map((type) -> "- `" + type.problem().getType() + "` (" + type.status().value() + ") "
					+ type.problem().getTitle() + ": " + type.problem().getDetail())
			.collect(Collectors.joining("\n"));
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> problemSchema() {
		Schema error = new ObjectSchema().addProperty("field", new StringSchema().example("visitorId"))
			.addProperty("message", new StringSchema().example(VisitorIds.MESSAGE))
			.required(List.of("field", "message"));
		return new ObjectSchema().description("RFC 9457 problem details")
			.addProperty("type", new StringSchema().format("uri")
				.example("urn:visitor-counter:problem:invalid-request")
				._enum(Arrays.stream(ProblemType.values()).map((type) -> type.problem().getType().toString()).toList()))
			.addProperty("title", new StringSchema().example("Invalid request"))
			.addProperty("status", new IntegerSchema().example(400))
			.addProperty("detail", new StringSchema().example("Invalid visitorId."))
			.addProperty("instance", new StringSchema().format("uri-reference").example("/api/visitors"))
			.addProperty("errors",
					new ArraySchema().items(error).description("the offending fields, on invalid-request"))
			.required(List.of("type", "title", "status", "detail"));
	}

}
