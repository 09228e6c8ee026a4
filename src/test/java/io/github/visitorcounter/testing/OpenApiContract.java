package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * The published OpenAPI document ({@code docs/openapi.json}, which {@code OpenApiTests}
 * keeps equal to what the application serves) and the check of a real response against
 * it: by an independent validator (Atlassian's swagger-request-validator: status, media
 * type, declared headers and their values, body schema), plus what that validator leaves
 * out: every header the application sends must be declared.
 */
public final class OpenApiContract {

	public static final Path DOCUMENT = Path.of("docs", "openapi.json");

	/**
	 * Headers about the connection, the message framing or CORS, which the document does
	 * not describe.
	 */
	private static final Set<String> TRANSPORT_HEADERS = Set.of("date", "content-type", "content-length",
			"transfer-encoding", "connection", "keep-alive", "vary");

	private static final String CORS_HEADERS = "access-control-";

	private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");

	private static OpenApiContract published;

	private final String json;

	private final OpenAPI openApi;

	private final OpenApiInteractionValidator validator;

	private final List<Route> routes = new ArrayList<>();

	/** Responses found to match, up to the values of their numbers. */
	private final Set<String> matched = ConcurrentHashMap.newKeySet();

	private OpenApiContract(String json) {
		this.json = json;
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		// Responses described under components/responses, with their headers, in place.
		options.setResolveFully(true);
		this.openApi = new OpenAPIV3Parser().readContents(json, null, options).getOpenAPI();
		this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(json).build();
		this.openApi.getPaths().forEach((template, item) -> item.readOperationsMap().forEach((method, operation) -> {
			Pattern pattern = Pattern.compile(template.replace(".", "\\.").replaceAll("\\{[^}]+}", "[^/]+"));
			this.routes.add(new Route(method.name(), template, pattern, operation));
		}));
		// A literal segment wins over a template: /api/visitors/stats is not a counter.
		this.routes.sort(Comparator.comparingInt((Route route) -> route.template().split("\\{").length));
	}

	/** The committed document, read once. */
	public static synchronized OpenApiContract published() {
		if (published == null) {
			try {
				published = new OpenApiContract(Files.readString(DOCUMENT));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return published;
	}

	public String json() {
		return this.json;
	}

	public OpenAPI openApi() {
		return this.openApi;
	}

	/**
	 * Checks one exchange against the document.
	 * @return empty when the request is not one of the document's operations (an actuator
	 * endpoint, a static file, an unknown path or method)
	 */
	public Optional<Checked> check(ApiExchanges.Exchange exchange) {
		Optional<Route> found = this.routes.stream()
			.filter((route) -> route.method().equals(exchange.method())
					&& route.pattern().matcher(exchange.path()).matches())
			.findFirst();
		if (found.isEmpty() || ownerApiAbsent(exchange)) {
			return Optional.empty();
		}
		Route route = found.get();
		String operation = route.method() + " " + route.template();
		String problemType = problemType(exchange);
		// Validating takes a millisecond or two: a response like one already validated,
		// but
		// for its numbers (a count, a date, a Retry-After), is not validated again.
		String key = String.join("|", operation, Integer.toString(exchange.status()),
				exchange.headers()
					.entrySet()
					.stream()
					.filter((header) -> !header.getKey().equalsIgnoreCase("date"))
					.map(Object::toString)
					.sorted()
					.toList()
					.toString(),
				String.valueOf(exchange.body()))
			.replaceAll("[0-9]+", "0");
		if (this.matched.contains(key)) {
			return Optional.of(new Checked(operation, exchange.status(), problemType, List.of()));
		}
		List<String> violations = new ArrayList<>();
		SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
		exchange.headers().forEach(response::withHeader);
		if (exchange.body() != null) {
			response.withBody(exchange.body());
		}
		ValidationReport report = this.validator.validateResponse(exchange.path(),
				Request.Method.valueOf(exchange.method()), response.build());
		report.getMessages()
			.stream()
			.filter((message) -> message.getLevel() == ValidationReport.Level.ERROR)
			// The body of a stream, or of a refused stream, is not read.
			.filter((message) -> exchange.body() != null
					|| !message.getKey().equals("validation.response.body.missing"))
			.forEach((message) -> violations.add(message.getKey() + ": " + message.getMessage()));
		ApiResponse declared = route.operation().getResponses().get(Integer.toString(exchange.status()));
		if (declared != null) {
			exchange.headers().keySet().forEach((name) -> {
				String lowerCase = name.toLowerCase(Locale.ROOT);
				boolean documented = declared.getHeaders() != null
						&& declared.getHeaders().keySet().stream().anyMatch((header) -> header.equalsIgnoreCase(name));
				if (!documented && !TRANSPORT_HEADERS.contains(lowerCase) && !lowerCase.startsWith(CORS_HEADERS)) {
					violations.add("undeclared header " + name + " on " + exchange.status());
				}
			});
		}
		if (violations.isEmpty()) {
			this.matched.add(key);
		}
		return Optional.of(new Checked(operation, exchange.status(), problemType, violations));
	}

	/**
	 * Without {@code VISITORS_ADMIN_TOKEN} the application leaves the owner API out of
	 * its document, and answers its paths like unknown ones.
	 */
	private static boolean ownerApiAbsent(ApiExchanges.Exchange exchange) {
		return exchange.path().startsWith("/api/admin") && exchange.status() == 404;
	}

	private static String problemType(ApiExchanges.Exchange exchange) {
		String contentType = exchange.headers()
			.entrySet()
			.stream()
			.filter((header) -> header.getKey().equalsIgnoreCase("Content-Type"))
			.flatMap((header) -> header.getValue().stream())
			.findFirst()
			.orElse("");
		if (exchange.body() == null || !contentType.startsWith("application/problem+json")) {
			return null;
		}
		Matcher type = PROBLEM_TYPE.matcher(exchange.body());
		return type.find() ? type.group(1) : null;
	}

	/**
	 * What a response was found to be.
	 *
	 * @param operation the documented operation, as {@code GET /api/visitors/{counter}}
	 * @param status the status it answered with
	 * @param problemType the {@code type} of a problem response, or {@code null}
	 * @param violations where it departs from the document; empty when it matches
	 */
	public record Checked(String operation, int status, String problemType, List<String> violations) {

	}

	private record Route(String method, String template, Pattern pattern, Operation operation) {

	}

}
