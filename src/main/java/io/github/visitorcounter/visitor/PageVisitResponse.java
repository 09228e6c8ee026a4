package io.github.visitorcounter.visitor;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * @param counter the counter, the site
 * @param count its count after this visit
 * @param newVisitor whether this visit was counted for the counter
 * @param page the page's
 */
record PageVisitResponse(@Schema(example = "blog", requiredMode = Schema.RequiredMode.REQUIRED) String counter,
		@Schema(example = "120", requiredMode = Schema.RequiredMode.REQUIRED) long count,
		@Schema(example = "false", requiredMode = Schema.RequiredMode.REQUIRED) boolean newVisitor,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Page page) {

	/**
	 * @param path the page's normalised path
	 * @param count its count after this visit; 0 for a page not created
	 * @param newVisitor whether this visit was counted for the page
	 */
	record Page(@Schema(example = "/posts/hello", requiredMode = Schema.RequiredMode.REQUIRED) String path,
			@Schema(example = "17", requiredMode = Schema.RequiredMode.REQUIRED) long count,
			@Schema(example = "true", requiredMode = Schema.RequiredMode.REQUIRED) boolean newVisitor) {

	}

}
