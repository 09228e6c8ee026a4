package io.github.visitorcounter.visitor;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * @param counter the counter
 * @param count its count after this visit
 * @param newVisitor whether this visit was counted
 */
record VisitResponse(@Schema(example = "default", requiredMode = Schema.RequiredMode.REQUIRED) String counter,
		@Schema(example = "1234", requiredMode = Schema.RequiredMode.REQUIRED) long count,
		@Schema(example = "true", requiredMode = Schema.RequiredMode.REQUIRED) boolean newVisitor) {

}
