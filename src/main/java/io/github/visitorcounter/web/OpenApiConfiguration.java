package io.github.visitorcounter.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.counter.VisitorIds;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;

/**
 * The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}):
 * the operations as Spring MVC maps them, and on each, every problem it can answer with,
 * with the headers that come with it. What a handler decides it declares with
 * {@link ProblemResponses}; what the web layer answers on its own is added here. Patterns
 * are anchored, as the server matches them whole, and the server URL is relative, so that
 * the document never reflects a request's {@code Host}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String PROBLEM = "Problem";

	private static final String PROBLEM_TYPES = "x-problem-types";

	private static final String COUNTER_IN_PATH = "{counter}";

	/** Where every route also has a bare path, for the counter named {@code default}. */
	private static final String ROUTES_WITH_BARE_PATH = "/api/visitors";

	private static final List<String> NOT_MODIFIED_HEADERS = List.of(HttpHeaders.CACHE_CONTROL, HttpHeaders.ETAG);

	static {
		// A streamed body is described as what it streams.
		SpringDocUtils.getConfig().addResponseWrapperToIgnore(StreamedJson.class);
	}

	@Bean
	OpenAPI visitorCounterApi() {
		return new OpenAPI()
			.info(new Info().title("visitor-counter")
				.version("v1")
				.description("Counts each anonymous visitor of a site once, in Redis. Errors are "
						+ "application/problem+json (RFC 9457); their `type` is one of:\n\n" + problemTypes())
				.license(new License().name("Apache License 2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
			.servers(List.of(new Server().url("/").description("the server that serves this document")))
			.components(new Components().addSecuritySchemes("adminToken",
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("VISITORS_ADMIN_TOKEN")));
	}

	/** Carries the problems a handler declares to {@link #responses()}. */
	@Bean
	OperationCustomizer declaredProblems() {
		return (operation, handler) -> {
			operation.addExtension(PROBLEM_TYPES, declaredProblems(handler));
			return operation;
		};
	}

	/**
	 * What every operation answers beyond what its handler declares: the problems, the
	 * caching headers of a success and of a 304.
	 */
	@Bean
	OpenApiCustomizer responses() {
		return (openApi) -> {
			Components components = openApi.getComponents();
			components.addSchemas(PROBLEM, problemSchema(
					Arrays.stream(ProblemType.values()).map((type) -> type.type().toString()).toList(), null));
			ResponseHeader.addTo(components);
			openApi.getPaths().forEach((path, item) -> item.readOperations().forEach((operation) -> {
				describeProblems(operation, components);
				if (path.endsWith(COUNTER_IN_PATH) && answersJson(operation)) {
					operation.getResponses()
						.get("200")
						.addHeaderObject(HttpHeaders.CONTENT_DISPOSITION,
								ResponseHeader.CONTENT_DISPOSITION.reference(false));
				}
				nameOperation(path, operation);
				noStoreUnlessDeclared(operation.getResponses().get("200"));
				describeNotModified(operation.getResponses());
				if (operation.getSecurity() == null) {
					// Public, said outright: linters take no list for a forgotten one.
					operation.setSecurity(new ArrayList<>());
				}
			}));
		};
	}

	/**
	 * The patterns the server enforces. {@link CounterName} is a composed constraint,
	 * which springdoc does not read: every {@code counter} path parameter gets its
	 * pattern. And the server matches a pattern against the whole value (Bean Validation,
	 * {@code Pattern.matches}) where JSON Schema finds it anywhere: every pattern is
	 * anchored.
	 */
	@Bean
	OpenApiCustomizer patterns() {
		return (openApi) -> {
			List<Parameter> parameters = openApi.getPaths()
				.values()
				.stream()
				.flatMap((item) -> item.readOperations().stream())
				.filter((operation) -> operation.getParameters() != null)
				.flatMap((operation) -> operation.getParameters().stream())
				.toList();
			parameters.stream()
				.filter((parameter) -> "counter".equals(parameter.getName()) && "path".equals(parameter.getIn()))
				.forEach((parameter) -> parameter.getSchema().pattern(CounterNames.PATTERN));
			parameters.forEach((parameter) -> anchor(parameter.getSchema()));
			openApi.getComponents().getSchemas().values().forEach(OpenApiConfiguration::anchor);
		};
	}

	/**
	 * springdoc gives the values of a map property the {@code @Schema} example and
	 * description of the map itself, where a map of maps' example does not fit (an inner
	 * map is no map of maps): they stay on the map.
	 */
	@Bean
	OpenApiCustomizer mapValues() {
		return (openApi) -> openApi.getComponents().getSchemas().values().forEach((schema) -> {
			if (schema.getProperties() != null) {
				schema.getProperties().values().forEach((property) -> keepExampleOnTheMap((Schema<?>) property));
			}
		});
	}

	@SuppressWarnings("rawtypes")
	private static void keepExampleOnTheMap(Schema<?> map) {
		for (Object values = map.getAdditionalProperties(); values instanceof Schema schema; values = schema
			.getAdditionalProperties()) {
			if (Objects.equals(schema.getExample(), map.getExample())) {
				schema.setExample(null);
				schema.setExampleSetFlag(false);
			}
			if (Objects.equals(schema.getDescription(), map.getDescription())) {
				schema.setDescription(null);
			}
		}
	}

	private static List<ProblemType> declaredProblems(HandlerMethod handler) {
		List<ProblemType> types = new ArrayList<>();
		for (ProblemResponses declared : Arrays.asList(
				AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), ProblemResponses.class),
				AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), ProblemResponses.class))) {
			if (declared != null) {
				types.addAll(Arrays.asList(declared.value()));
			}
		}
		return types;
	}

	@SuppressWarnings("unchecked")
	private static void describeProblems(Operation operation, Components components) {
		Set<ProblemType> types = EnumSet.noneOf(ProblemType.class);
		Object declared = (operation.getExtensions() != null) ? operation.getExtensions().remove(PROBLEM_TYPES) : null;
		if (declared != null) {
			types.addAll((Collection<ProblemType>) declared);
		}
		if (operation.getExtensions() != null && operation.getExtensions().isEmpty()) {
			operation.setExtensions(null);
		}
		// Answered by the web layer on every route, before or around the handler: a
		// malformed URI or query string (MalformedUriValve) too, on a route that takes no
		// parameters.
		types.add(ProblemType.INVALID_REQUEST);
		types.add(ProblemType.ORIGIN_NOT_ALLOWED);
		types.add(ProblemType.PAYLOAD_TOO_LARGE);
		types.add(ProblemType.INTERNAL_ERROR);
		if (operation.getRequestBody() != null) {
			types.add(ProblemType.MALFORMED_BODY);
			types.add(ProblemType.UNSUPPORTED_MEDIA_TYPE);
			types.add(ProblemType.REQUEST_TIMEOUT);
		}
		if (answersJson(operation)) {
			types.add(ProblemType.NOT_ACCEPTABLE);
		}
		Map<Integer, List<ProblemType>> byStatus = types.stream()
			.collect(Collectors.groupingBy((type) -> type.status().value(), TreeMap::new, Collectors.toList()));
		byStatus.forEach((status, typesOfStatus) -> {
			// Described once under components/responses, named after its problem types.
			String name = typesOfStatus.stream().map(ProblemType::slug).collect(Collectors.joining("."));
			components.addResponses(name, problemResponse(status, typesOfStatus, components, name));
			operation.getResponses()
				.addApiResponse(Integer.toString(status), new ApiResponse().$ref("#/components/responses/" + name));
		});
	}

	private static ApiResponse problemResponse(int status, List<ProblemType> types, Components components,
			String name) {
		// The problem document, with only this response's types and status: a whole
		// schema
		// rather than an allOf, so that validators can refuse an undocumented property.
		components.addSchemas(PROBLEM + "." + name,
				problemSchema(types.stream().map((type) -> type.type().toString()).toList(), List.of(status)));
		Schema<?> schema = new Schema<>().$ref("#/components/schemas/" + PROBLEM + "." + name);
		ApiResponse response = new ApiResponse()
			.description(types.stream()
				.map((type) -> type.title() + " (`" + type.type() + "`)")
				.collect(Collectors.joining("; ")))
			.content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					new MediaType().schema(schema)));
		Map<ResponseHeader, Integer> headerCounts = new LinkedHashMap<>();
		types.forEach(
				(type) -> ResponseHeader.of(type).forEach((header) -> headerCounts.merge(header, 1, Integer::sum)));
		headerCounts.put(ResponseHeader.CONTENT_DISPOSITION, 0);
		// A header is required when every problem of the status sends it.
		headerCounts.forEach((header, count) -> response.addHeaderObject(header.headerName,
				header.reference(count == types.size())));
		response.addHeaderObject(HttpHeaders.CACHE_CONTROL, noStore());
		return response;
	}

	private static boolean answersJson(Operation operation) {
		ApiResponse ok = operation.getResponses().get("200");
		return ok != null && ok.getContent() != null
				&& ok.getContent().containsKey(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
	}

	/**
	 * An operation's id is its handler method's name, and the bare-path variant of a
	 * route (the {@code default} counter) gets an id of its own, instead of springdoc's
	 * numbered duplicate; both variants say what the bare path is.
	 */
	private static void nameOperation(String path, Operation operation) {
		String id = operation.getOperationId().replaceFirst("_\\d+$", "");
		if (!path.startsWith(ROUTES_WITH_BARE_PATH)) {
			operation.setOperationId(id);
			return;
		}
		operation.setOperationId(path.contains(COUNTER_IN_PATH) ? id : id + "OfDefault");
		operation.setDescription(operation.getDescription() + " The bare path is the counter named `default`.");
	}

	/**
	 * No answer of the API may be cached: it is a visitor's registration or a count of
	 * now. Every success sends {@code Cache-Control: no-store} unless its operation
	 * declares a policy of its own (the badge's {@code no-cache}): declared here once
	 * rather than on each operation, and checked on every response by the contract tests.
	 */
	private static void noStoreUnlessDeclared(ApiResponse ok) {
		if (ok != null && (ok.getHeaders() == null || !ok.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL))) {
			ok.addHeaderObject(HttpHeaders.CACHE_CONTROL, noStore());
		}
	}

	/** {@code Cache-Control: no-store}, required: what every problem sends too. */
	private static Header noStore() {
		return new Header().required(true)
			.style(Header.StyleEnum.SIMPLE)
			.schema(new StringSchema()._enum(List.of(CacheControl.noStore().getHeaderValue())));
	}

	/**
	 * A 304 has no body, and sends the caching headers that its 200 would have sent (RFC
	 * 9110, 15.4.5): declared on the 200 alone.
	 */
	private static void describeNotModified(ApiResponses responses) {
		ApiResponse notModified = responses.get("304");
		if (notModified == null) {
			return;
		}
		notModified.setContent(null);
		ApiResponse ok = responses.get("200");
		if (ok != null && ok.getHeaders() != null) {
			NOT_MODIFIED_HEADERS.stream()
				.filter(ok.getHeaders()::containsKey)
				.forEach((name) -> notModified.addHeaderObject(name, ok.getHeaders().get(name)));
		}
	}

	@SuppressWarnings("rawtypes")
	private static void anchor(Schema<?> schema) {
		if (schema == null) {
			return;
		}
		String pattern = schema.getPattern();
		if (pattern != null && !pattern.startsWith("^")) {
			schema.setPattern("^(?:" + pattern + ")$");
		}
		if (schema.getProperties() != null) {
			schema.getProperties().values().forEach(OpenApiConfiguration::anchor);
		}
		if (schema.getItems() != null) {
			anchor(schema.getItems());
		}
		if (schema.getAdditionalProperties() instanceof Schema additional) {
			anchor(additional);
		}
	}

	private static String problemTypes() {
		return Arrays.stream(ProblemType.values())
			.map((type) -> "- `" + type.type() + "` (" + type.status().value() + ") " + type.title() + ": "
					+ type.detail())
			.collect(Collectors.joining("\n"));
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> problemSchema(List<String> types, List<Integer> statuses) {
		Schema error = new ObjectSchema().addProperty("field", new StringSchema().example("visitorId"))
			.addProperty("message", new StringSchema().example(VisitorIds.MESSAGE))
			.required(List.of("field", "message"));
		return new ObjectSchema().description("RFC 9457 problem details")
			.addProperty("type", new StringSchema().format("uri").example(types.get(0))._enum(types))
			.addProperty("title", new StringSchema().example("Invalid request"))
			.addProperty("status", status(statuses))
			.addProperty("detail", new StringSchema().example("Invalid visitorId."))
			.addProperty("instance", new StringSchema().format("uri-reference").example("/api/visitors"))
			.addProperty("errors",
					new ArraySchema().items(error).description("the offending fields, on invalid-request"))
			.required(List.of("type", "title", "status", "detail"));
	}

	private static Schema<Number> status(List<Integer> statuses) {
		IntegerSchema schema = new IntegerSchema();
		if (statuses == null) {
			return schema.example(400);
		}
		statuses.forEach(schema::addEnumItem);
		return schema.example(statuses.get(0));
	}

	/**
	 * The headers that come with problems, each described once under
	 * {@code components/headers}.
	 */
	private enum ResponseHeader {

		RETRY_AFTER(HttpHeaders.RETRY_AFTER, "seconds to wait before trying again",
				new IntegerSchema().minimum(BigDecimal.ONE)),

		RATE_LIMIT_LIMIT("RateLimit-Limit", "requests allowed per window", new IntegerSchema().minimum(BigDecimal.ONE)),

		RATE_LIMIT_REMAINING("RateLimit-Remaining", "requests left in the window",
				new IntegerSchema().minimum(BigDecimal.ZERO)),

		RATE_LIMIT_RESET("RateLimit-Reset", "seconds until the oldest request leaves the window",
				new IntegerSchema().minimum(BigDecimal.ZERO)),

		WWW_AUTHENTICATE(HttpHeaders.WWW_AUTHENTICATE, "how to authenticate",
				new StringSchema()._enum(List.of("Bearer realm=\"visitor-counter\""))),

		ACCEPT(HttpHeaders.ACCEPT, "the media types the route takes or gives", new StringSchema()),

		CONTENT_DISPOSITION(HttpHeaders.CONTENT_DISPOSITION,
				"sent by Spring MVC, against reflected file downloads, when the last path segment looks like a "
						+ "file name (a counter name with a dot, such as `about.me`)",
				new StringSchema()._enum(List.of("inline;filename=f.txt")));

		private final String headerName;

		private final String description;

		private final Schema<?> schema;

		ResponseHeader(String headerName, String description, Schema<?> schema) {
			this.headerName = headerName;
			this.description = description;
			this.schema = schema;
		}

		static Set<ResponseHeader> of(ProblemType type) {
			return switch (type) {
				case RATE_LIMITED -> EnumSet.of(RETRY_AFTER, RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING, RATE_LIMIT_RESET);
				case TOO_MANY_CLIENT_STREAMS, TOO_MANY_STREAMS, STORAGE_UNAVAILABLE, SERVER_BUSY ->
					EnumSet.of(RETRY_AFTER);
				case UNAUTHORIZED -> EnumSet.of(WWW_AUTHENTICATE);
				case NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE -> EnumSet.of(ACCEPT);
				default -> EnumSet.noneOf(ResponseHeader.class);
			};
		}

		static void addTo(Components components) {
			for (ResponseHeader header : values()) {
				components.addHeaders(header.componentName(true),
						new Header().description(header.description).schema(header.schema).required(true));
				components.addHeaders(header.componentName(false),
						new Header().description(header.description).schema(header.schema));
			}
		}

		Header reference(boolean required) {
			return new Header().$ref("#/components/headers/" + componentName(required));
		}

		private String componentName(boolean required) {
			return this.headerName.replace("-", "") + (required ? "" : "IfAny");
		}

	}

}
