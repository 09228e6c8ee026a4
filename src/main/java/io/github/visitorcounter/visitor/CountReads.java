package io.github.visitorcounter.visitor;

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

	/** Remembers a count a visit just got. */
	void remember(String counter, long count) {
		this.lastKnown.remember(counter, count);
	}

}
