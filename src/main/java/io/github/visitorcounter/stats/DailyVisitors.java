package io.github.visitorcounter.stats;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.github.visitorcounter.counter.DailyUniquesScript;
import io.github.visitorcounter.counter.DailyUniquesScript.DailyUniques;
import io.github.visitorcounter.counter.SharedReads;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemType;

import org.springframework.stereotype.Service;

/**
 * Reads the daily uniques that the registration script fills: one script call per read,
 * and identical reads within a second share one answer.
 */
@Service
class DailyVisitors {

	static final Duration SHARED_FOR = Duration.ofSeconds(1);

	/** Reads remembered at once; each is a few hundred bytes to a few KiB. */
	static final int CAPACITY = 1_000;

	private final DailyUniquesScript script;

	private final SharedReads<Read, Optional<DailyUniques>> sharedReads;

	DailyVisitors(DailyUniquesScript script) {
		this.script = script;
		// Only counters that exist: reads of made-up names cannot crowd out real ones.
		this.sharedReads = new SharedReads<>(SHARED_FOR, CAPACITY,
				(uniques) -> uniques.isPresent() && uniques.get().total() > 0, Clock.systemUTC());
	}

	/**
	 * @throws ProblemException for a counter this deployment does not serve
	 */
	StatsResponse stats(String counter, int days) {
		DailyUniques uniques = this.sharedReads.get(new Read(counter, days), () -> this.script.read(counter, days))
			.orElseThrow(() -> new ProblemException(ProblemType.UNKNOWN_COUNTER));
		return new StatsResponse(counter, uniques.total(), uniques.daily().get(days - 1).visitors(), uniques.lastWeek(),
				uniques.lastMonth(),
				uniques.daily().stream().map((day) -> new StatsResponse.Day(day.date(), day.visitors())).toList());
	}

	private record Read(String counter, int days) {

	}

}
