package io.github.visitorcounter.visitor;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.visitor.VisitorCounter.Registration;
import io.github.visitorcounter.web.InvalidRequestException;
import io.github.visitorcounter.web.ProblemResponses;
import io.github.visitorcounter.web.ProblemType;
import io.github.visitorcounter.web.VisitHeaders;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public API: register a visit, read a count. The bare path is the counter named
 * {@code default}.
 */
@RestController
@RequestMapping(path = "/api/visitors", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "visitors", description = "Register visits and read counts")
class VisitorController {

	// Headers go on the servlet response, and the handlers return their body rather than
	// a ResponseEntity: Spring MVC flushes a ResponseEntity's response before it ends,
	// which makes Tomcat send it chunked, in two writes instead of one (BENCHMARKS.md).
	private static final String NO_STORE = CacheControl.noStore().getHeaderValue();

	private final VisitorCounter visitorCounter;

	private final CountReads counts;

	VisitorController(VisitorCounter visitorCounter, CountReads counts) {
		this.visitorCounter = visitorCounter;
		this.counts = counts;
	}

	@Operation(summary = "Register a visit",
			description = "Counts the visitor once per counter (or once per dedupe window). A repeated id, a crawler, a do-not-track visit (when respected), an "
					+ "excluded address or a client past its new-visitor cap gets the count with `newVisitor:false`.")
	@ApiResponse(responseCode = "200", description = "The visit was registered (or deliberately not counted)",
			headers = {
					@Header(name = "RateLimit-Limit",
							description = "requests allowed per window (with the rate limit on)",
							schema = @Schema(type = "integer", minimum = "1")),
					@Header(name = "RateLimit-Remaining", description = "requests left in the window",
							schema = @Schema(type = "integer", minimum = "0")),
					@Header(name = "RateLimit-Reset",
							description = "seconds until the oldest request leaves the window",
							schema = @Schema(type = "integer", minimum = "0")),
					@Header(name = VisitHeaders.VISIT_NOT_COUNTED, description = "why the visit was not counted",
							schema = @Schema(type = "string",
									allowableValues = { "new-visitor-cap", "excluded-address", "do-not-track", "bot",
											"resetting" })) })
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.RATE_LIMITED,
			ProblemType.STORAGE_UNAVAILABLE })
	@PostMapping(path = { "", "/{counter}" }, consumes = MediaType.APPLICATION_JSON_VALUE)
	VisitResponse registerVisit(@PathVariable(required = false) String counter, @RequestBody VisitRequest request,
			HttpServletRequest httpRequest, HttpServletResponse httpResponse) {
		requireValid(counter, request);
		Registration registration = this.visitorCounter.register(CounterNames.orDefault(counter), request.visitorId(),
				Client.of(httpRequest));
		this.counts.remember(registration.counter(), registration.count());
		httpResponse.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
		if (registration.rateLimit() != null) {
			registration.rateLimit().writeTo(httpResponse::setHeader);
		}
		if (registration.notCountedReason() != null) {
			httpResponse.setHeader(VisitHeaders.VISIT_NOT_COUNTED, registration.notCountedReason());
		}
		return new VisitResponse(registration.counter(), registration.count(), registration.newVisitor());
	}

	@Operation(summary = "Read a count",
			description = "The count of a counter (0 for one never hit; 404 for one this deployment does not serve). "
					+ "While Redis is down, the last count this instance saw, marked `stale`.")
	@ApiResponse(responseCode = "200", description = "The count")
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.STORAGE_UNAVAILABLE })
	@GetMapping({ "", "/{counter}" })
	CountResponse readCount(@PathVariable(required = false) @CounterName String counter,
			HttpServletResponse httpResponse) {
		CountResponse response = this.counts.read(CounterNames.orDefault(counter));
		httpResponse.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
		return response;
	}

	/**
	 * The rules the other endpoints declare as constraints, checked in code on this, the
	 * busiest one: Bean Validation's method validation cost it 4-6% of its throughput
	 * (BENCHMARKS.md).
	 */
	private static void requireValid(String counter, VisitRequest request) {
		String counterError = (counter == null || CounterNames.isValid(counter)) ? null : CounterNames.MESSAGE;
		String visitorIdError = request.visitorIdError();
		if (counterError != null || visitorIdError != null) {
			Map<String, String> errors = new LinkedHashMap<>();
			if (counterError != null) {
				errors.put("counter", counterError);
			}
			if (visitorIdError != null) {
				errors.put("visitorId", visitorIdError);
			}
			throw new InvalidRequestException(errors);
		}
	}

}
