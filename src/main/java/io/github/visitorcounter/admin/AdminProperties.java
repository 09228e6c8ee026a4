package io.github.visitorcounter.admin;

import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param adminToken the bearer token of the owner API; the API answers only when it is
 * set
 * @param adminImportMaxSize the largest body the import takes (an export of 1,000,000
 * counters is about 30 MB)
 */
@Validated
@ConfigurationProperties("visitors")
public record AdminProperties(@Size(min = 16, message = "must be at least 16 characters") String adminToken,
		@DefaultValue("64MB") DataSize adminImportMaxSize) {

	boolean hasToken() {
		return this.adminToken != null && !this.adminToken.isBlank();
	}

}
