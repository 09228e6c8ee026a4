package io.github.visitorcounter.ratelimit;

import java.time.Duration;
import java.time.Instant;

import io.github.visitorcounter.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OverBudgetClientsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final OverBudgetClients clients = new OverBudgetClients(this.clock);

	@Test
	void remembersABlockedClientUntilItsRetryAfter() {
		this.clients.block("blog 198.51.100.7", Duration.ofSeconds(3));
		assertThat(this.clients.blockedFor("blog 198.51.100.7")).isEqualTo(Duration.ofSeconds(3));
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(this.clients.blockedFor("blog 198.51.100.7")).isZero();
	}

	@Test
	void keepsTheClientsItRemembersWhenAFloodFillsIt() {
		this.clients.block("blog 198.51.100.7", Duration.ofMinutes(1));
		for (int i = 0; i < OverBudgetClients.MAX_ENTRIES + 100; i++) {
			this.clients.block("blog flood-" + i, Duration.ofMinutes(1));
		}
		assertThat(this.clients.blockedFor("blog 198.51.100.7")).isPositive();
		assertThat(this.clients.blockedFor("blog flood-" + (OverBudgetClients.MAX_ENTRIES + 50))).isZero();
	}

}
