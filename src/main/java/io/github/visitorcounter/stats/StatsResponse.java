package io.github.visitorcounter.stats;

import java.time.LocalDate;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/**
 * Body of {@code GET /api/visitors/{counter}/stats}. The 7- and 30-day figures are unions
 * of the daily HyperLogLogs, so a visitor who came on several days counts once.
 *
 * @param counter the counter
 * @param total distinct visitors ever (the count the page shows)
 * @param today distinct visitors today
 * @param last7Days distinct visitors over the last 7 days, today included
 * @param last30Days distinct visitors over the last 30 days, today included
 * @param daily distinct visitors per day, oldest first, today last
 */
record StatsResponse(@Schema(requiredMode = REQUIRED, example = "blog") String counter,
		@Schema(requiredMode = REQUIRED, example = "1234") long total,
		@Schema(requiredMode = REQUIRED, example = "87") long today,
		@Schema(requiredMode = REQUIRED, example = "402") long last7Days,
		@Schema(requiredMode = REQUIRED, example = "1109") long last30Days,
		@Schema(requiredMode = REQUIRED) List<Day> daily) {

	record Day(@Schema(requiredMode = REQUIRED) LocalDate date,
			@Schema(requiredMode = REQUIRED, example = "87") long visitors) {

	}

}
