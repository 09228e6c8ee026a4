package io.github.visitorcounter.counter;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.visitorcounter.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedReadsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicInteger reads = new AtomicInteger();

	private final SharedReads<String, Long> shared = new SharedReads<>(Duration.ofSeconds(1), 2, (count) -> count > 0,
			this.clock);

	@Test
	void letsIdenticalReadsWithinTheMaxAgeShareOneAnswer() {
		assertThat(this.shared.get("blog", () -> read(5))).isEqualTo(5);
		this.clock.advance(Duration.ofMillis(999));
		assertThat(this.shared.get("blog", () -> read(6))).isEqualTo(5);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.shared.get("blog", () -> read(7))).isEqualTo(7);
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void keepsNoAnswerOfACounterThatDoesNotExist() {
		this.shared.get("made-up", () -> read(0));
		this.shared.get("made-up", () -> read(0));
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void keepsAnswersItHasWhenFullRatherThanMakingRoom() {
		this.shared.get("blog", () -> read(1));
		this.shared.get("docs", () -> read(2));
		this.shared.get("third", () -> read(3));
		this.shared.get("third", () -> read(3));
		assertThat(this.reads).hasValue(4);
		assertThat(this.shared.get("blog", () -> read(9))).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		this.shared.get("third", () -> read(3));
		assertThat(this.shared.get("third", () -> read(4))).as("room once old answers aged").isEqualTo(3);
	}

	private long read(long count) {
		this.reads.incrementAndGet();
		return count;
	}

}
