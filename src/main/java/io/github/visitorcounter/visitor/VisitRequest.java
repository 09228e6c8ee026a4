package io.github.visitorcounter.visitor;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /api/visitors}: the anonymous id the browser keeps for itself.
 */
record VisitRequest(@NotNull(message = "is required") @Pattern(regexp = VisitRequest.VISITOR_ID,
		message = "must be 16-128 characters of [A-Za-z0-9_-]") String visitorId) {

	static final String VISITOR_ID = "[A-Za-z0-9_-]{16,128}";

}
