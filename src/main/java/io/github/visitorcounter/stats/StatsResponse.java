package io.github.visitorcounter.stats;

import java.time.LocalDate;
import java.util.List;

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
record StatsResponse(String counter, long total, long today, long last7Days, long last30Days, List<Day> daily) {

	record Day(LocalDate date, long visitors) {

	}

}
