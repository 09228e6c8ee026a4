package io.github.visitorcounter.ratelimit;

import java.time.Duration;
import java.time.Instant;

import io.github.visitorcounter.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressBudgetTests {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	@Test
	void admitsTheBudgetThenSaysHowLongToWait() {
		AddressBudget budget = new AddressBudget(3, Duration.ofSeconds(10), 100, this.clock);
		this.clock.advance(Duration.ofSeconds(4));
		for (int i = 0; i < 3; i++) {
			assertThat(budget.charge("198.51.100.7")).isZero();
		}
		assertThat(budget.charge("198.51.100.7")).isEqualTo(Duration.ofSeconds(6));
		assertThat(budget.charge("198.51.100.8")).isZero();
	}

	@Test
	void admitsNoDoubleBurstAtAWindowEdge() {
		AddressBudget budget = new AddressBudget(10, Duration.ofSeconds(10), 100, this.clock);
		this.clock.advance(Duration.ofMillis(9_900));
		for (int i = 0; i < 10; i++) {
			assertThat(budget.charge("198.51.100.7")).isZero();
		}
		this.clock.advance(Duration.ofMillis(200));
		assertThat(budget.charge("198.51.100.7")).isPositive();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(budget.charge("198.51.100.7")).as("half of the last window has slid out").isZero();
	}

	@Test
	void neverPushesOutACountedAddressWhenFull() {
		AddressBudget budget = new AddressBudget(1, Duration.ofSeconds(10), 2, this.clock);
		budget.charge("198.51.100.1");
		budget.charge("198.51.100.2");
		for (int i = 0; i < 100; i++) {
			assertThat(budget.charge("203.0.113." + i)).as("let through uncounted").isZero();
		}
		assertThat(budget.charge("198.51.100.1")).isPositive();
		assertThat(budget.charge("198.51.100.2")).isPositive();
	}

	@Test
	void makesRoomOnceOldWindowsHavePassed() {
		AddressBudget budget = new AddressBudget(1, Duration.ofSeconds(10), 1, this.clock);
		budget.charge("198.51.100.1");
		this.clock.advance(Duration.ofSeconds(20));
		budget.charge("198.51.100.2");
		assertThat(budget.charge("198.51.100.2")).as("counted now").isPositive();
	}

}
