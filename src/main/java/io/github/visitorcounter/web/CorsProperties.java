package io.github.visitorcounter.web;

import java.util.List;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which pages may call the API from a browser, bound from {@code visitors.*}.
 *
 * @param allowedOrigins browser origins allowed to call the API cross-origin
 */
@Validated
@ConfigurationProperties("visitors")
public record CorsProperties(@DefaultValue List<@Pattern(regexp = "https?://[^/\\s*]+",
		message = "must be an origin such as https://example.com (scheme and host, no path)") String> allowedOrigins) {

}
