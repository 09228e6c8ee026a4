package io.github.visitorcounter.visitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.PagePaths;
import io.github.visitorcounter.counter.PagePaths.InvalidPagePathException;
import io.github.visitorcounter.counter.PageStore;
import io.github.visitorcounter.counter.PageStore.PageCount;
import io.github.visitorcounter.counter.RegistrationScript.PageOutcome;
import io.github.visitorcounter.counter.RegistrationScript.PageVisit;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.ratelimit.AddressLimits;
import io.github.visitorcounter.visitor.PagesResponse.PageCountResponse;
import io.github.visitorcounter.visitor.VisitorCounter.Registration;
import io.github.visitorcounter.web.InvalidRequestException;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemResponses;
import io.github.visitorcounter.web.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pages of a counter, the site: a visit counted for the site and for its page in one
 * command, and the counts of pages read in one (docs/pages.md).
 */
@RestController
@RequestMapping(path = "/api/visitors/{counter}/pages", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "pages", description = "Count the pages of a site, and read their counts")
@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.RATE_LIMITED,
		ProblemType.STORAGE_UNAVAILABLE })
record PageController(VisitorCounter visitorCounter, CountReads counts, PageStore pages, AddressLimits addressLimits) {

	/** The most paths one read takes. */
	static final int MAX_PATHS = 100;

	private static final String LIMIT_MESSAGE = "must be between 1 and 100";

	@Operation(summary = "Register a visit to a page",
			description = "Counts the visitor once for the counter (the site) and once for the page, its path "
					+ "normalised, in one Redis command; answered as a visit to the counter is. A page the counter "
					+ "does not hold yet is created, unless the counter holds as many pages as it may "
					+ "(`Visit-Not-Counted: page-limit`: counted for the counter only).")
	@VisitRegistered
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	PageVisitResponse registerPageVisit(@PathVariable String counter, @RequestBody PageVisitRequest request,
			HttpServletRequest httpRequest, HttpServletResponse httpResponse) {
		String path = null;
		String pathError = null;
		try {
			path = PagePaths.normalise(request.path());
		}
		catch (InvalidPagePathException ex) {
			pathError = ex.getMessage();
		}
		VisitorController.requireValid(counter, request.visitorIdError(), pathError);
		Registration registration = this.visitorCounter.register(counter, request.visitorId(), Client.of(httpRequest),
				path);
		VisitorController.answered(registration, this.counts, httpResponse);
		PageVisit page = registration.page();
		return new PageVisitResponse(registration.counter(), registration.count(), registration.newVisitor(),
				new PageVisitResponse.Page(path, (page != null) ? page.count() : 0,
						page != null && page.outcome() == PageOutcome.NEW));
	}

	@Operation(summary = "Read the counts of pages",
			description = "The counts of pages of a counter, in the order asked for, their paths normalised; 0 for "
					+ "a page the counter does not hold. One Redis command.")
	@ApiResponse(responseCode = "200", description = "The counts")
	@ProblemResponses(ProblemType.SERVER_BUSY)
	@GetMapping
	@Parameter(name = "path", in = ParameterIn.QUERY, required = true,
			description = "a page's URL path, up to " + MAX_PATHS + " times",
			array = @ArraySchema(schema = @Schema(type = "string"), maxItems = MAX_PATHS))
	PagesResponse readPages(@PathVariable @CounterName String counter, HttpServletRequest httpRequest,
			HttpServletResponse httpResponse) {
		List<String> paths = RepeatedParameter.values(httpRequest, "path");
		if (paths.isEmpty()) {
			throw new InvalidRequestException(Map.of("path", "is required"));
		}
		if (paths.size() > MAX_PATHS) {
			throw new InvalidRequestException(Map.of("path", "must be given at most " + MAX_PATHS + " times"));
		}
		List<String> normalised = new ArrayList<>(paths.size());
		for (String path : paths) {
			try {
				normalised.add(PagePaths.normalise(path));
			}
			catch (InvalidPagePathException ex) {
				throw new InvalidRequestException(Map.of("path", ex.getMessage()));
			}
		}
		this.addressLimits.chargeRead(Client.of(httpRequest));
		return answer(counter, this.pages.counts(counter, normalised).orElseThrow(PageController::unknownCounter),
				httpResponse);
	}

	@Operation(summary = "Read the top pages",
			description = "A counter's most visited pages, most visited first (pages of equal count in no set "
					+ "order). One Redis command.")
	@ApiResponse(responseCode = "200", description = "The top pages")
	@ProblemResponses(ProblemType.SERVER_BUSY)
	@GetMapping("/top")
	PagesResponse readTopPages(@PathVariable @CounterName String counter,
			@Parameter(description = "how many pages, at most") @RequestParam(defaultValue = "10") @Min(value = 1,
					message = LIMIT_MESSAGE) @Max(value = 100, message = LIMIT_MESSAGE) int limit,
			HttpServletRequest httpRequest, HttpServletResponse httpResponse) {
		this.addressLimits.chargeRead(Client.of(httpRequest));
		return answer(counter, this.pages.top(counter, limit).orElseThrow(PageController::unknownCounter),
				httpResponse);
	}

	private static PagesResponse answer(String counter, List<PageCount> pages, HttpServletResponse httpResponse) {
		httpResponse.setHeader(HttpHeaders.CACHE_CONTROL, VisitorController.NO_STORE);
		return new PagesResponse(counter,
				pages.stream().map((page) -> new PageCountResponse(page.path(), page.count())).toList());
	}

	private static ProblemException unknownCounter() {
		return new ProblemException(ProblemType.UNKNOWN_COUNTER);
	}

}
