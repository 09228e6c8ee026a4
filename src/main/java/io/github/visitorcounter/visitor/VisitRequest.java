package io.github.visitorcounter.visitor;

import io.github.visitorcounter.counter.VisitorIds;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code POST /api/visitors}: the anonymous id the browser keeps for itself.
 */
record VisitRequest(@Schema(description = "the anonymous id the browser keeps for itself",
		example = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a", pattern = VisitorIds.PATTERN,
		requiredMode = Schema.RequiredMode.REQUIRED) String visitorId) {

	/** What is wrong with the visitor id, or {@code null} when nothing is. */
	String visitorIdError() {
		if (this.visitorId == null) {
			return "is required";
		}
		return VisitorIds.isValid(this.visitorId) ? null : VisitorIds.MESSAGE;
	}

}
