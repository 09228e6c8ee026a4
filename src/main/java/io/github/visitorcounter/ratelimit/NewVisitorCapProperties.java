package io.github.visitorcounter.ratelimit;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The cap on new visitors that one client address can register: past it, requests are
 * still answered with the count, but nothing is counted. Stops a script that mints fresh
 * visitor ids in a loop.
 *
 * @param enabled whether the cap applies
 * @param perIp new visitors a client address may register per window
 * @param window the sliding window
 */
@Validated
@ConfigurationProperties("visitors.new-visitor-cap")
public record NewVisitorCapProperties(@DefaultValue("true") boolean enabled, @DefaultValue("50") @Min(1) int perIp,
		@DefaultValue("1h") @DurationMin(seconds = 1) Duration window) {

}
