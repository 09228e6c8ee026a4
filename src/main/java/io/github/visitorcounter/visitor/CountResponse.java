package io.github.visitorcounter.visitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * @param counter the counter
 * @param count its count
 * @param stale {@code true} when Redis was unavailable and this is the last count this
 * instance saw; absent otherwise
 */
record CountResponse(@Schema(example = "default", requiredMode = Schema.RequiredMode.REQUIRED) String counter,
		@Schema(example = "1234", requiredMode = Schema.RequiredMode.REQUIRED) long count,
		@Schema(description = "present and true when Redis was unavailable and this is the last count seen",
				example = "true") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean stale) {

	CountResponse(String counter, long count) {
		this(counter, count, null);
	}

}
