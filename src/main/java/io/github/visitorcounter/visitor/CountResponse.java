package io.github.visitorcounter.visitor;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * @param counter the counter
 * @param count its count
 * @param stale {@code true} when Redis was unavailable and this is the last count this
 * instance saw; absent otherwise
 */
record CountResponse(String counter, long count, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean stale) {

	CountResponse(String counter, long count) {
		this(counter, count, null);
	}

}
