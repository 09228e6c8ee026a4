package io.github.visitorcounter.visitor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.visitorcounter.web.VisitHeaders;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The success of a handler that registers a visit, with the headers it comes with: one
 * declaration for the visit to a counter and the visit to a page.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(responseCode = "200", description = "The visit was registered (or deliberately not counted)",
		headers = {
				@Header(name = "RateLimit-Limit", description = "requests allowed per window (with the rate limit on)",
						schema = @Schema(type = "integer", minimum = "1")),
				@Header(name = "RateLimit-Remaining", description = "requests left in the window",
						schema = @Schema(type = "integer", minimum = "0")),
				@Header(name = "RateLimit-Reset", description = "seconds until the oldest request leaves the window",
						schema = @Schema(type = "integer", minimum = "0")),
				@Header(name = VisitHeaders.VISIT_NOT_COUNTED,
						description = "why the visit was not counted; `page-limit` (on a visit to a page only): "
								+ "counted for the counter, but the counter holds as many pages as it may",
						schema = @Schema(type = "string", allowableValues = { "new-visitor-cap", "excluded-address",
								"do-not-track", "bot", "resetting", "page-limit" })) })
@interface VisitRegistered {

}
