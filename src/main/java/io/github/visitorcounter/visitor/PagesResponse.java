package io.github.visitorcounter.visitor;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * @param counter the counter, the site
 * @param pages its pages asked for, or its top pages
 */
record PagesResponse(@Schema(example = "blog", requiredMode = Schema.RequiredMode.REQUIRED) String counter,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<PageCountResponse> pages) {

	/**
	 * @param path the page's normalised path
	 * @param count its count; 0 for a page the counter does not hold
	 */
	record PageCountResponse(@Schema(example = "/posts/hello", requiredMode = Schema.RequiredMode.REQUIRED) String path,
			@Schema(example = "17", requiredMode = Schema.RequiredMode.REQUIRED) long count) {

	}

}
