package io.github.visitorcounter.visitor;

import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code POST /api/visitors}: the anonymous id the browser keeps for itself.
 */
record VisitRequest(@Schema(description = "the anonymous id the browser keeps for itself",
		example = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a", pattern = VisitRequest.VISITOR_ID,
		requiredMode = Schema.RequiredMode.REQUIRED) String visitorId) {

	static final String VISITOR_ID = "[A-Za-z0-9_-]{16,128}";

	private static final Pattern VALID_VISITOR_ID = Pattern.compile(VISITOR_ID);

	/** What is wrong with the visitor id, or {@code null} when nothing is. */
	String visitorIdError() {
		if (this.visitorId == null) {
			return "is required";
		}
		return VALID_VISITOR_ID.matcher(this.visitorId).matches() ? null : "must be 16-128 characters of [A-Za-z0-9_-]";
	}

}
