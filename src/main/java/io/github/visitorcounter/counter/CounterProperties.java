package io.github.visitorcounter.counter;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How counters are kept in Redis, bound from {@code visitors.*} (environment:
 * {@code VISITORS_*}).
 *
 * @param keyPrefix first segment of every Redis key
 * @param dedupeTtl how long a visitor stays "seen"; {@code null} means forever
 * @param idSecret HMAC key that turns visitor ids into the digests stored in Redis
 */
@Validated
@ConfigurationProperties("visitors")
public record CounterProperties(@DefaultValue("visitors") @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,31}",
		message = "must be 1-32 characters of [A-Za-z0-9._-], starting with a letter or digit") String keyPrefix,
		@DurationMin(seconds = 1) Duration dedupeTtl,
		@Size(min = 16, message = "must be at least 16 characters when set") String idSecret) {

	/**
	 * Used when no secret is configured, so that digests stay stable across restarts
	 * anyway.
	 */
	static final String DEFAULT_ID_SECRET = "visitor-counter default id secret: set VISITORS_ID_SECRET";

	boolean hasIdSecret() {
		return this.idSecret != null && !this.idSecret.isBlank();
	}

	String effectiveIdSecret() {
		return hasIdSecret() ? this.idSecret : DEFAULT_ID_SECRET;
	}

	/** How long a visitor stays counted; {@link Duration#ZERO} for ever. */
	public Duration effectiveDedupeTtl() {
		return (this.dedupeTtl != null) ? this.dedupeTtl : Duration.ZERO;
	}

}
