package io.github.visitorcounter.visitor;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import io.github.visitorcounter.counter.CounterStore;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemType;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Counts as a page shows them: read from Redis and remembered, or, while Redis is down,
 * the last one this instance saw, marked stale, which beats an error on the page.
 */
@Component
record CountReads(CounterStore store, LastKnownCounts lastKnown) {

	/**
	 * @throws ProblemException for a counter this deployment does not serve
	 * @throws DataAccessException when Redis is unavailable and no recent count is known
	 */
	CountResponse read(String counter) {
		try {
			long count = this.store.servedCount(counter)
				.orElseThrow(() -> new ProblemException(ProblemType.UNKNOWN_COUNTER));
			this.lastKnown.remember(counter, count);
			return new CountResponse(counter, count);
		}
		catch (DataAccessException ex) {
			return new CountResponse(counter, this.lastKnown.recall(counter).orElseThrow(() -> ex), true);
		}
	}

	/**
	 * The counts of many counters, in the order given, read from Redis in one command;
	 * neither remembered nor recalled.
	 * @throws ProblemException if any of them is a counter this deployment does not serve
	 */
	CountsResponse readAll(List<String> counters) {
		List<OptionalLong> counts = this.store.servedCounts(counters);
		List<CountResponse> responses = new ArrayList<>(counters.size());
		for (int index = 0; index < counters.size(); index++) {
			responses.add(new CountResponse(counters.get(index),
					counts.get(index).orElseThrow(() -> new ProblemException(ProblemType.UNKNOWN_COUNTER))));
		}
		return new CountsResponse(responses);
	}

	/** Remembers a count a visit just got. */
	void remember(String counter, long count) {
		this.lastKnown.remember(counter, count);
	}

}
