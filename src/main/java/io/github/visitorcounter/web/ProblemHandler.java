package io.github.visitorcounter.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.visitorcounter.system.StorageFailed;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Answers every error with {@code application/problem+json} (RFC 9457): a stable type per
 * kind, a short detail, never a stack trace or an internal message.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	/** Seconds a client should wait before retrying while Redis is unavailable. */
	static final String STORAGE_RETRY_AFTER_SECONDS = "2";

	private static final Log log = LogFactory.getLog(ProblemHandler.class);

	/** Logs a client that went away at debug level, in one line. */
	private static final DisconnectedClientHelper disconnectedClients = new DisconnectedClientHelper(
			ProblemHandler.class.getName());

	private final StorageFailureLog storageFailures = new StorageFailureLog(Clock.systemUTC());

	private final ApplicationEventPublisher events;

	ProblemHandler(ApplicationEventPublisher events) {
		this.events = events;
	}

	@ExceptionHandler(PayloadTooLargeException.class)
	ResponseEntity<ProblemDetail> handlePayloadTooLarge() {
		return respond(ProblemType.PAYLOAD_TOO_LARGE.problem(), HttpHeaders.EMPTY);
	}

	/**
	 * Whatever Redis did wrong, pipelines and scripts included: the store is unavailable
	 * to this request, not the request at fault.
	 */
	@ExceptionHandler(DataAccessException.class)
	ResponseEntity<ProblemDetail> handleStorageUnavailable(Exception ex) {
		this.storageFailures.failed(ex);
		this.events.publishEvent(new StorageFailed());
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, STORAGE_RETRY_AFTER_SECONDS);
		return respond(ProblemType.STORAGE_UNAVAILABLE.problem(), headers);
	}

	@ExceptionHandler(InvalidRequestException.class)
	ResponseEntity<ProblemDetail> handleInvalidRequest(InvalidRequestException ex) {
		List<Map<String, String>> errors = ex.messagesByField()
			.entrySet()
			.stream()
			.map((error) -> error(error.getKey(), error.getValue()))
			.toList();
		return respond(invalidRequest(errors), HttpHeaders.EMPTY);
	}

	@ExceptionHandler(ProblemException.class)
	ResponseEntity<ProblemDetail> handleProblem(ProblemException ex, HttpServletRequest request) {
		// Should the answer not be writable here (Tomcat closes a response whose chunked
		// body broke off), the error page answers the same type.
		ex.type().decideFor(request);
		return respond(ex.type().problem(ex.detail()), ex.headers());
	}

	@ExceptionHandler(RateLimitExceededException.class)
	ResponseEntity<ProblemDetail> handleRateLimited(RateLimitExceededException ex) {
		HttpHeaders headers = new HttpHeaders();
		ex.rateLimit().writeTo(headers::set);
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()));
		return respond(ProblemType.RATE_LIMITED.problem(), headers);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		if (disconnectedClients.checkAndLogClientDisconnectedException(ex)) {
			// The client went away mid-answer (or never read it): no one to answer, and
			// nothing wrong here; a stack trace each time would let anyone fill the log.
			return null;
		}
		log.error("Unexpected error", ex);
		return respond(ProblemType.INTERNAL_ERROR.problem(), HttpHeaders.EMPTY);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Object handler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
				RequestAttributes.SCOPE_REQUEST);
		return handleExceptionInternal(ex, ProblemType.MALFORMED_BODY.problem(MalformedBody.detail(handler, ex)),
				headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return handleExceptionInternal(ex, invalidRequest(List.of(error(ex.getParameterName(), "is required"))),
				headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String field = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: ex.getPropertyName();
		Class<?> type = (ex.getRequiredType() != null) ? ClassUtils.resolvePrimitiveIfNecessary(ex.getRequiredType())
				: Object.class;
		String message = Number.class.isAssignableFrom(type) ? "must be a number in plain decimal digits"
				: "has the wrong type";
		ProblemDetail problem = (field != null) ? invalidRequest(List.of(error(field, message)))
				: ProblemType.INVALID_REQUEST.problem();
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> fieldError(error.getField(), error))
			.toList();
		return handleExceptionInternal(ex, invalidRequest(errors), headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach((result) -> {
			if (result instanceof org.springframework.validation.method.ParameterErrors parameterErrors) {
				parameterErrors.getFieldErrors().forEach((error) -> errors.add(fieldError(error.getField(), error)));
			}
			else {
				String name = result.getMethodParameter().getParameterName();
				result.getResolvableErrors().forEach((error) -> errors.add(fieldError(name, error)));
			}
		});
		return handleExceptionInternal(ex, invalidRequest(errors), headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (request instanceof ServletWebRequest servlet && servlet.getResponse() != null
				&& servlet.getResponse().isCommitted()) {
			// Answered already, by the error page or in part: a client's broken request,
			// not the server's fault, and one line each would let anyone fill the log.
			log.debug("Response already committed; not answered again: " + ex);
			return null;
		}
		ProblemDetail problem = (body instanceof ProblemDetail detail) ? detail : ProblemDetail.forStatus(statusCode);
		if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
			ProblemType.forStatus(statusCode.value()).describe(problem);
		}
		HttpHeaders problemHeaders = new HttpHeaders();
		problemHeaders.putAll(headers);
		problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		problemHeaders.setCacheControl(ProblemType.CACHE_CONTROL);
		return super.handleExceptionInternal(ex, problem, problemHeaders, statusCode, request);
	}

	private static ProblemDetail invalidRequest(List<Map<String, String>> errors) {
		String detail = "Invalid " + String.join(", ", errors.stream().map((error) -> error.get("field")).toList())
				+ ".";
		ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(detail);
		problem.setProperty("errors", errors);
		return problem;
	}

	private static Map<String, String> fieldError(String field, MessageSourceResolvable error) {
		String message = (error instanceof FieldError fieldError && fieldError.isBindingFailure())
				? "has the wrong type" : error.getDefaultMessage();
		return error(field, (message != null) ? message : "is invalid");
	}

	/** One entry of {@code errors}, its properties in the documented order. */
	private static Map<String, String> error(String field, String message) {
		Map<String, String> error = new LinkedHashMap<>();
		error.put("field", field);
		error.put("message", message);
		return error;
	}

	/**
	 * With its content type set: what the client accepts (or the unparsable
	 * {@code Accept} that caused the error) must not leave the answer without its body.
	 */
	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
		return ResponseEntity.status(problem.getStatus())
			.headers(headers)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.header(HttpHeaders.CACHE_CONTROL, ProblemType.CACHE_CONTROL)
			.body(problem);
	}

}
