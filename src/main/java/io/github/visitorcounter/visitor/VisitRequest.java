package io.github.visitorcounter.visitor;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /api/visitors}: the anonymous id the browser keeps for itself.
 */
record VisitRequest(@Schema(description = "the anonymous id the browser keeps for itself",
		example = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a", pattern = VisitRequest.VISITOR_ID,
		requiredMode = Schema.RequiredMode.REQUIRED) @NotNull(message = "is required") @Pattern(
				regexp = VisitRequest.VISITOR_ID,
				message = "must be 16-128 characters of [A-Za-z0-9_-]") String visitorId) {

	static final String VISITOR_ID = "[A-Za-z0-9_-]{16,128}";

}
