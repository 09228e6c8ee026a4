package io.github.visitorcounter.visitor;

import io.github.visitorcounter.counter.PagePaths;
import io.github.visitorcounter.counter.VisitorIds;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code POST /api/visitors/{counter}/pages}: the visitor's id and the page it
 * visits.
 */
record PageVisitRequest(
		@Schema(description = "the anonymous id the browser keeps for itself",
				example = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a", pattern = VisitorIds.PATTERN,
				requiredMode = Schema.RequiredMode.REQUIRED) String visitorId,
		@Schema(description = "the page's URL path (location.pathname), normalised by the server (docs/pages.md)",
				example = "/posts/hello", maxLength = 4 * PagePaths.MAX_BYTES,
				requiredMode = Schema.RequiredMode.REQUIRED) String path) {

	String visitorIdError() {
		return new VisitRequest(this.visitorId).visitorIdError();
	}

}
