package io.github.visitorcounter.visitor;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the counter, bound from {@code visitors.*} (environment:
 * {@code VISITORS_*}).
 *
 * @param keyPrefix first segment of every Redis key
 * @param dedupeTtl how long a visitor stays "seen"; {@code null} means forever
 * @param idSecret HMAC key that turns visitor ids into the digests stored in Redis
 * @param allowedOrigins browser origins allowed to call the API cross-origin
 */
@Validated
@ConfigurationProperties("visitors")
public record VisitorProperties(@DefaultValue("visitors") @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,31}",
		message = "must be 1-32 characters of [A-Za-z0-9._-], starting with a letter or digit") String keyPrefix,
		@DurationMin(seconds = 1) Duration dedupeTtl,
		@Size(min = 16, message = "must be at least 16 characters when set") String idSecret,
		@DefaultValue List<@Pattern(regexp = "https?://[^/\\s*]+",
				message = "must be an origin such as https://example.com (scheme and host, no path)") String> allowedOrigins) {

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

	long dedupeTtlSeconds() {
		return (this.dedupeTtl != null) ? this.dedupeTtl.toSeconds() : 0;
	}

}
