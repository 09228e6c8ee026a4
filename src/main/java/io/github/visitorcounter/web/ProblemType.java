package io.github.visitorcounter.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The kinds of error the API answers with, each with a stable {@code type} URI (RFC 9457)
 * that clients can switch on: the one list from which the error handlers answer, the
 * OpenAPI document describes, and README's error table is checked.
 */
public enum ProblemType {

	INVALID_REQUEST("invalid-request", "Invalid request", HttpStatus.BAD_REQUEST, "The request is invalid."),

	MALFORMED_BODY("malformed-body", "Malformed request body", HttpStatus.BAD_REQUEST,
			"The request body must be a JSON object such as {\"visitorId\":\"...\"}."),

	ORIGIN_NOT_ALLOWED("origin-not-allowed", "Origin not allowed", HttpStatus.FORBIDDEN,
			"This origin is not allowed to call the API. The server lists allowed origins in VISITORS_ALLOWED_ORIGINS."),

	NOT_FOUND("not-found", "Not found", HttpStatus.NOT_FOUND, "There is nothing at this path."),

	UNKNOWN_COUNTER("unknown-counter", "Unknown counter", HttpStatus.NOT_FOUND,
			"This deployment serves no counter of that name."),

	METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED,
			"This path does not support the method; the Allow header lists those it does."),

	NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE,
			"The API answers with application/json only."),

	RATE_LIMITED("rate-limited", "Too many requests", HttpStatus.TOO_MANY_REQUESTS,
			"Too many requests from this address. Retry after the time in the Retry-After header."),

	TOO_MANY_CLIENT_STREAMS("too-many-client-streams", "Too many streams from this address",
			HttpStatus.TOO_MANY_REQUESTS,
			"This address has as many live streams open as it may. Close one, or retry later."),

	TOO_MANY_STREAMS("too-many-streams", "Too many streams", HttpStatus.SERVICE_UNAVAILABLE,
			"This server has as many live streams open as it serves. Try again shortly."),

	UNAUTHORIZED("unauthorized", "Unauthorized", HttpStatus.UNAUTHORIZED,
			"A valid token is required: send it as Authorization: Bearer <token>."),

	PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", HttpStatus.CONTENT_TOO_LARGE,
			"The request body must not exceed 4096 bytes."),

	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
			"Send the request body as application/json."),

	STORAGE_UNAVAILABLE("storage-unavailable", "Storage unavailable", HttpStatus.SERVICE_UNAVAILABLE,
			"The counter store is unavailable. Try again shortly."),

	INTERNAL_ERROR("internal-error", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR,
			"An unexpected error occurred.");

	private static final String TYPE_PREFIX = "urn:visitor-counter:problem:";

	private final String slug;

	private final URI type;

	private final String title;

	private final HttpStatus status;

	private final String detail;

	ProblemType(String slug, String title, HttpStatus status, String detail) {
		this.slug = slug;
		this.type = URI.create(TYPE_PREFIX + slug);
		this.title = title;
		this.status = status;
		this.detail = detail;
	}

	/** The {@code type} URI clients switch on. */
	public URI type() {
		return this.type;
	}

	/** The last segment of the type, such as {@code invalid-request}. */
	String slug() {
		return this.slug;
	}

	public HttpStatus status() {
		return this.status;
	}

	String title() {
		return this.title;
	}

	String detail() {
		return this.detail;
	}

	ProblemDetail problem() {
		return problem(this.detail);
	}

	ProblemDetail problem(String detail) {
		ProblemDetail problem = describe(ProblemDetail.forStatus(this.status));
		problem.setDetail(detail);
		return problem;
	}

	/**
	 * Gives a problem made elsewhere (by Spring MVC) this kind's type and title, and a
	 * detail that never echoes the request back.
	 */
	ProblemDetail describe(ProblemDetail problem) {
		problem.setType(this.type);
		problem.setTitle(this.title);
		problem.setDetail(this.detail);
		return problem;
	}

	/**
	 * The kind of a status that Spring MVC or the container decided on its own: the
	 * general kind of that status, never one that only a feature decides on.
	 */
	static ProblemType forStatus(int status) {
		for (ProblemType candidate : values()) {
			if (candidate.status.value() == status && !candidate.decidedByFeature()) {
				return candidate;
			}
		}
		return (status >= 500) ? INTERNAL_ERROR : INVALID_REQUEST;
	}

	private boolean decidedByFeature() {
		return this == MALFORMED_BODY || this == TOO_MANY_CLIENT_STREAMS || this == TOO_MANY_STREAMS;
	}

}
