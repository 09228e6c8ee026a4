package io.github.visitorcounter.counter;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The days that daily uniques are kept by, bound from {@code visitors.stats.*}.
 *
 * @param timeZone where a day starts and ends; a site's readers care about their own
 * midnight, not the server's
 * @param dayTtl how long a day's HyperLogLog is kept: a little over a year, so that the
 * longest stats window (365 days) is always complete
 */
@Validated
@ConfigurationProperties("visitors.stats")
public record DayProperties(@DefaultValue("UTC") @NotNull ZoneId timeZone,
		@DefaultValue("400d") @DurationMin(days = 366) Duration dayTtl) {

	/** The day a visit made now belongs to. */
	public LocalDate today(Clock clock) {
		return LocalDate.now(clock.withZone(this.timeZone));
	}

}
