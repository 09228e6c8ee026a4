package io.github.visitorcounter.counter;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The typed call of {@code scripts/daily-uniques.lua}: a counter's count and its daily
 * uniques in one command, whatever the number of days, on the shared connection.
 */
public record DailyUniquesScript(LuaScripts scripts, CounterKeys keys, VisitDays days, ServedCounters served) {

	/** The longest union reported, and so the fewest days read. */
	private static final int MONTH = 30;

	static final String SCRIPT = "daily-uniques.lua";

	/**
	 * @param counter the counter
	 * @param days how many days to report one by one, today included
	 * @return the daily uniques of a counter that is served (as
	 * {@link CounterStore#servedCount(String)}), or empty
	 */
	public Optional<DailyUniques> read(String counter, int days) {
		LocalDate today = this.days.today();
		int span = Math.max(days, MONTH);
		List<String> keys = new ArrayList<>(span + 1);
		keys.add(this.keys.count(counter));
		for (int i = 0; i < span; i++) {
			keys.add(this.keys.day(counter, today.minusDays(i)));
		}
		List<Long> reply = this.scripts.runForIntegers(SCRIPT, keys, Integer.toString(days));
		List<Day> daily = new ArrayList<>(days);
		for (int i = days - 1; i >= 0; i--) {
			daily.add(new Day(today.minusDays(i), reply.get(3 + i)));
		}
		long count = reply.get(0);
		if (!this.served.serves(counter, count >= 0)) {
			return Optional.empty();
		}
		return Optional.of(new DailyUniques(Math.max(count, 0), reply.get(1), reply.get(2), daily));
	}

	/**
	 * A counter's count and daily uniques.
	 *
	 * @param total the count
	 * @param lastWeek distinct visitors over the last 7 days, today included
	 * @param lastMonth distinct visitors over the last 30 days, today included
	 * @param daily distinct visitors per day, oldest first, today last
	 */
	public record DailyUniques(long total, long lastWeek, long lastMonth, List<Day> daily) {

	}

	/**
	 * @param date the day
	 * @param visitors its distinct visitors
	 */
	public record Day(LocalDate date, long visitors) {

	}

}
