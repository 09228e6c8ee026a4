package io.github.visitorcounter.ratelimit;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The request budget of each client address on {@code POST /api/visitors…}: at most
 * {@code requests} in any {@code window} (a sliding window, held in Redis and shared by
 * every instance).
 *
 * @param enabled whether POSTs are limited at all
 * @param requests requests allowed per window
 * @param window the sliding window
 */
@Validated
@ConfigurationProperties("visitors.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("30") @Min(1) int requests,
		@DefaultValue("10s") @DurationMin(seconds = 1) Duration window) {

}
