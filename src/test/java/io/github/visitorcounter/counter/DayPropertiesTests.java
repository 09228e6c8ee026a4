package io.github.visitorcounter.counter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DayPropertiesTests {

	@Test
	void followsTheConfiguredTimeZoneForTheDayBoundary() {
		Clock lateEvening = Clock.fixed(Instant.parse("2025-03-01T23:30:00Z"), ZoneOffset.UTC);
		assertThat(new DayProperties(ZoneOffset.UTC, Duration.ofDays(400)).today(lateEvening))
			.isEqualTo(LocalDate.of(2025, 3, 1));
		assertThat(new DayProperties(ZoneId.of("Europe/Berlin"), Duration.ofDays(400)).today(lateEvening))
			.isEqualTo(LocalDate.of(2025, 3, 2));
	}

}
