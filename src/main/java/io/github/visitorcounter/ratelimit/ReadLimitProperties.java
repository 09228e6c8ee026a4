package io.github.visitorcounter.ratelimit;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The budget of reads that cost Redis work (stats and badge) per client address, kept in
 * each instance's memory.
 *
 * @param enabled whether those reads are limited
 * @param requests reads allowed per window; generous, because an image proxy (GitHub's
 * camo) fetches a badge for many readers from few addresses
 * @param window the sliding window
 */
@Validated
@ConfigurationProperties("visitors.read-limit")
public record ReadLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("120") @Min(1) int requests,
		@DefaultValue("10s") @DurationMin(seconds = 1) Duration window) {

}
