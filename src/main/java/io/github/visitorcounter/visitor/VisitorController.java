package io.github.visitorcounter.visitor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.ratelimit.AddressLimits;
import io.github.visitorcounter.visitor.VisitorCounter.Registration;
import io.github.visitorcounter.web.InvalidRequestException;
import io.github.visitorcounter.web.ProblemResponses;
import io.github.visitorcounter.web.ProblemType;
import io.github.visitorcounter.web.VisitHeaders;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
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
	static final String NO_STORE = CacheControl.noStore().getHeaderValue();

	private final VisitorCounter visitorCounter;

	/** The most counters one read of many takes. */
	static final int MAX_COUNTERS = 100;

	private final CountReads counts;

	private final AddressLimits addressLimits;

	VisitorController(VisitorCounter visitorCounter, CountReads counts, AddressLimits addressLimits) {
		this.visitorCounter = visitorCounter;
		this.counts = counts;
		this.addressLimits = addressLimits;
	}

	@Operation(summary = "Register a visit",
			description = "Counts the visitor once per counter (or once per dedupe window). A repeated id, a crawler, a do-not-track visit (when respected), an "
					+ "excluded address or a client past its new-visitor cap gets the count with `newVisitor:false`.")
	@VisitRegistered
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.RATE_LIMITED,
			ProblemType.STORAGE_UNAVAILABLE })
	@PostMapping(path = { "", "/{counter}" }, consumes = MediaType.APPLICATION_JSON_VALUE)
	VisitResponse registerVisit(@PathVariable(required = false) String counter, @RequestBody VisitRequest request,
			HttpServletRequest httpRequest, HttpServletResponse httpResponse) {
		requireValid(counter, request.visitorIdError(), null);
		Registration registration = this.visitorCounter.register(CounterNames.orDefault(counter), request.visitorId(),
				Client.of(httpRequest));
		answered(registration, this.counts, httpResponse);
		return new VisitResponse(registration.counter(), registration.count(), registration.newVisitor());
	}

	/**
	 * What every registration's answer carries besides its body, and the count it
	 * remembers.
	 */
	static void answered(Registration registration, CountReads counts, HttpServletResponse httpResponse) {
		counts.remember(registration.counter(), registration.count());
		httpResponse.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
		if (registration.rateLimit() != null) {
			registration.rateLimit().writeTo(httpResponse::setHeader);
		}
		if (registration.notCountedReason() != null) {
			httpResponse.setHeader(VisitHeaders.VISIT_NOT_COUNTED, registration.notCountedReason());
		}
	}

	@Operation(summary = "Read a count",
			description = "The count of a counter (0 for one never hit; 404 for one this deployment does not serve). "
					+ "While Redis is down, the last count this instance saw, marked `stale`.")
	@ApiResponse(responseCode = "200", description = "The count")
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.STORAGE_UNAVAILABLE })
	@GetMapping("/{counter}")
	CountResponse readCount(@PathVariable @CounterName String counter, HttpServletResponse httpResponse) {
		CountResponse response = this.counts.read(counter);
		httpResponse.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
		return response;
	}

	// Named as the handler above: the bare path of the same operation, which the
	// counter parameters turn into a read of many.
	@Operation(summary = "Read a count, or many",
			description = "The count of a counter (0 for one never hit; 404 for one this deployment does not serve). "
					+ "While Redis is down, the last count this instance saw, marked `stale`. With `counter` "
					+ "parameters (up to " + MAX_COUNTERS + "), the counts of those counters instead, in the order "
					+ "given, in one Redis command (a cluster's, one per slot); 404 if any is not served.")
	@ApiResponse(responseCode = "200", description = "The count, or the counts",
			content = @Content(schema = @Schema(oneOf = { CountResponse.class, CountsResponse.class })))
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.RATE_LIMITED,
			ProblemType.STORAGE_UNAVAILABLE, ProblemType.SERVER_BUSY })
	@GetMapping("")
	@Parameter(name = "counter", in = ParameterIn.QUERY,
			description = "counters to read, up to " + MAX_COUNTERS + "; without any, the counter named `default`",
			array = @ArraySchema(schema = @Schema(type = "string"), maxItems = MAX_COUNTERS))
	Object readCount(HttpServletRequest httpRequest, HttpServletResponse httpResponse) {
		List<String> counters = RepeatedParameter.values(httpRequest, "counter");
		if (counters.isEmpty()) {
			CountResponse response = this.counts.read(CounterNames.DEFAULT);
			httpResponse.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
			return response;
		}
		if (counters.size() > MAX_COUNTERS) {
			throw new InvalidRequestException(Map.of("counter", "must be given at most " + MAX_COUNTERS + " times"));
		}
		if (!counters.stream().allMatch(CounterNames::isValid)) {
			throw new InvalidRequestException(Map.of("counter", CounterNames.MESSAGE));
		}
		this.addressLimits.chargeRead(Client.of(httpRequest));
		CountsResponse response = this.counts.readAll(counters);
		httpResponse.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
		return response;
	}

	/**
	 * The rules the other endpoints declare as constraints, checked in code on this, the
	 * busiest one: Bean Validation's method validation cost it 4-6% of its throughput
	 * (BENCHMARKS.md).
	 */
	static void requireValid(String counter, String visitorIdError, String pathError) {
		String counterError = (counter == null || CounterNames.isValid(counter)) ? null : CounterNames.MESSAGE;
		if (counterError != null || visitorIdError != null || pathError != null) {
			Map<String, String> errors = new LinkedHashMap<>();
			if (counterError != null) {
				errors.put("counter", counterError);
			}
			if (visitorIdError != null) {
				errors.put("visitorId", visitorIdError);
			}
			if (pathError != null) {
				errors.put("path", pathError);
			}
			throw new InvalidRequestException(errors);
		}
	}

}
