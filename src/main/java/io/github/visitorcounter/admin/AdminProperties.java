package io.github.visitorcounter.admin;

import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param adminToken the bearer token of the owner API; the API answers only when it is
 * set
 */
@Validated
@ConfigurationProperties("visitors")
public record AdminProperties(@Size(min = 16, message = "must be at least 16 characters") String adminToken) {

	boolean hasToken() {
		return this.adminToken != null && !this.adminToken.isBlank();
	}

}
