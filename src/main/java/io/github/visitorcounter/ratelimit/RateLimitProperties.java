package io.github.visitorcounter.ratelimit;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The request budgets of each client address on {@code POST /api/visitors…}: at most
 * {@code requests} per counter in any {@code window} (a sliding window, held in Redis and
 * shared by every instance), and at most {@code requestsAcrossCounters} over all counters
 * (held in each instance's memory).
 *
 * @param enabled whether POSTs are limited at all
 * @param requests requests allowed per counter and window
 * @param window the sliding window
 * @param requestsAcrossCounters requests allowed per window over all counters, per
 * instance
 */
@Validated
@ConfigurationProperties("visitors.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("30") @Min(1) int requests,
		@DefaultValue("10s") @DurationMin(seconds = 1) Duration window,
		@DefaultValue("60") @Min(1) int requestsAcrossCounters) {

}
