package io.github.visitorcounter.web;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long a client may take to send a request, bound from {@code visitors.*}.
 *
 * @param requestReadTimeout the longest a client may take from the first byte of a
 * request to the end of its headers, and again from there to the end of its body
 */
@Validated
@ConfigurationProperties("visitors")
record SlowClientProperties(
		@DefaultValue("10s") @DurationMin(seconds = 1) @DurationMax(minutes = 10) Duration requestReadTimeout) {

}
