package io.github.visitorcounter.visitor;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * @param counters the counts, in the order asked for
 */
record CountsResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<CountResponse> counters) {

}
