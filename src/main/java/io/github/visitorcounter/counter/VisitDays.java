package io.github.visitorcounter.counter;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The days visits belong to, as the settings' time zone and the application's clock tell
 * them: the day a visit made now belongs to, and the days whose uniques may still be
 * kept. The settings and the clock always go together; this is the one place that joins
 * them.
 */
final class VisitDays {

	private final DayProperties properties;

	private final Clock clock;

	VisitDays(DayProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	/** The day a visit made now belongs to. */
	LocalDate today() {
		return this.properties.today(this.clock);
	}

	/** How long a day's HyperLogLog is kept. */
	Duration ttl() {
		return this.properties.dayTtl();
	}

	/**
	 * Every day whose HyperLogLog may still exist, newest first: the days the TTL keeps,
	 * with a day to spare at either end.
	 */
	List<LocalDate> mayBeKept() {
		LocalDate today = today();
		List<LocalDate> days = new ArrayList<>();
		for (long day = -1; day <= ttl().toDays() + 1; day++) {
			days.add(today.minusDays(day));
		}
		return days;
	}

}
