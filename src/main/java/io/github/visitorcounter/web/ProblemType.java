package io.github.visitorcounter.web;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Locale;

import jakarta.servlet.ServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The kinds of error the API answers with, each with a stable {@code type} URI (RFC 9457)
 * that clients can switch on: the one list from which the error handlers answer, the
 * OpenAPI document describes, and README's error table is checked.
 */
public enum ProblemType {

	// Each with its status, the detail it answers with unless told another, and its title
	// where that is not its name.

	INVALID_REQUEST(400, "The request is invalid."),

	MALFORMED_BODY(400, "Malformed request body",
			"The request body must be a JSON object with the fields this route documents."),

	ORIGIN_NOT_ALLOWED(403,
			"This origin is not allowed to call the API. The server lists allowed origins in VISITORS_ALLOWED_ORIGINS."),

	NOT_FOUND(404, "There is nothing at this path."),

	UNKNOWN_COUNTER(404, "This deployment serves no counter of that name."),

	METHOD_NOT_ALLOWED(405, "This path does not support the method; the Allow header lists those it does."),

	NOT_ACCEPTABLE(406, "This route answers in none of the types the request accepts."),

	RATE_LIMITED(429, "Too many requests",
			"Too many requests from this address. Retry after the time in the Retry-After header."),

	TOO_MANY_CLIENT_STREAMS(429, "Too many streams from this address",
			"This address has as many live streams open as it may. Close one, or retry later."),

	TOO_MANY_STREAMS(503, "This server has as many live streams open as it serves. Try again shortly."),

	UNAUTHORIZED(401, "A valid token is required: send it as Authorization: Bearer <token>."),

	REQUEST_TIMEOUT(408, "The request took too long to arrive. Send its headers and its body without pausing."),

	PAYLOAD_TOO_LARGE(413, "The request body must not exceed 4096 bytes."),

	UNSUPPORTED_MEDIA_TYPE(415, "Send the request body as application/json, without a Content-Encoding."),

	STORAGE_UNAVAILABLE(503, "The counter store is unavailable. Try again shortly."),

	SERVER_BUSY(503, "The server is writing as many large answers as it writes at once. Try again shortly."),

	INTERNAL_ERROR(500, "An unexpected error occurred.");

	/**
	 * Every problem's {@code Cache-Control}: a refusal holds for its request only (a 404
	 * counter may be created a minute later), and caches keep some error statuses (404,
	 * 405, 414) by default.
	 */
	public static final String CACHE_CONTROL = "no-store";

	/** The detail of a malformed body whose bytes are not UTF-8. */
	public static final String BODY_NOT_UTF8 = "The request body must be JSON in UTF-8; it holds bytes that JSON in UTF-8 never holds.";

	private static final String TYPE_PREFIX = "urn:visitor-counter:problem:";

	private static final String DECIDED = ProblemType.class.getName();

	private final String slug;

	private final URI type;

	private final String title;

	private final HttpStatus status;

	private final String detail;

	ProblemType(int status, String detail) {
		this(status, null, detail);
	}

	/**
	 * The type's last segment is the constant's name in kebab case, and the title, unless
	 * given, the name as words: renaming a constant changes the API, which the committed
	 * OpenAPI document and README's error table catch.
	 */
	ProblemType(int status, String title, String detail) {
		this.slug = name().toLowerCase(Locale.ROOT).replace('_', '-');
		this.type = URI.create(TYPE_PREFIX + this.slug);
		this.title = (title != null) ? title
				: Character.toUpperCase(this.slug.charAt(0)) + this.slug.substring(1).replace('-', ' ');
		this.status = HttpStatus.valueOf(status);
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

	/**
	 * Tells the error page the kind of an error sent without a body: without it, the page
	 * answers {@link #forStatus(int) the general kind} of the status.
	 */
	void decideFor(ServletRequest request) {
		request.setAttribute(DECIDED, this);
	}

	/**
	 * The kind of an error sent without a body: the one decided for the request, or the
	 * general kind of its status.
	 */
	static ProblemType of(ServletRequest request, int status) {
		return (request.getAttribute(DECIDED) instanceof ProblemType decided && decided.status.value() == status)
				? decided : forStatus(status);
	}

	/**
	 * The kind of a body that could not be read: it took too long (a read timed out, or
	 * {@code null}: the whole body's deadline passed), or it broke off.
	 */
	public static ProblemType ofUnreadableBody(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return REQUEST_TIMEOUT;
			}
		}
		return (failure == null) ? REQUEST_TIMEOUT : MALFORMED_BODY;
	}

	private boolean decidedByFeature() {
		return this == MALFORMED_BODY || this == TOO_MANY_CLIENT_STREAMS || this == TOO_MANY_STREAMS
				|| this == SERVER_BUSY;
	}

}
