package io.github.visitorcounter.visitor;

import java.time.Duration;
import java.time.Instant;

import io.github.visitorcounter.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LastKnownCountsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final LastKnownCounts counts = new LastKnownCounts(this.clock);

	@Test
	void recallsARecentCountForUpToTheMaximumAge() {
		this.counts.remember("blog", 12);
		this.clock.advance(LastKnownCounts.MAX_AGE);
		assertThat(this.counts.recall("blog")).hasValue(12);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.counts.recall("blog")).isEmpty();
	}

	@Test
	void remembersNoCounterThatDoesNotExist() {
		this.counts.remember("made-up", 0);
		assertThat(this.counts.recall("made-up")).isEmpty();
	}

	@Test
	void keepsTheCountersItRemembersWhenAFloodFillsIt() {
		this.counts.remember("blog", 12);
		for (int i = 0; i < LastKnownCounts.MAX_ENTRIES + 100; i++) {
			this.counts.remember("flood-" + i, 1);
		}
		assertThat(this.counts.recall("blog")).hasValue(12);
		assertThat(this.counts.recall("flood-" + (LastKnownCounts.MAX_ENTRIES + 50))).isEmpty();
	}

}
