package io.github.visitorcounter.web;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long a client may take to send a request, and how many large answers it may be slow
 * to read, bound from {@code visitors.*}.
 *
 * @param requestReadTimeout the longest a client may take from the first byte of a
 * request to the end of its headers, and again from there to the end of its body
 * @param maxPendingBodies the most request bodies awaited at once, after their headers:
 * each holds about 80 KB of heap while it arrives (the request's buffers in Tomcat), and
 * a thousand of them filled the image's 128 MB heap. A body that would be one more is
 * refused at once with a 408.
 * @param maxPendingBodiesPerClient the most of them from one client address, so that one
 * client cannot take every place
 * @param maxLargeAnswers the most answers larger than 8 KiB written at once: each may
 * hold a request thread for as long as its client takes to read it (up to the connection
 * timeout). One more is refused at once with a 503.
 * @param maxLargeAnswersPerClient the most of them to one client address
 */
@Validated
@ConfigurationProperties("visitors")
record SlowClientProperties(
		@DefaultValue("10s") @DurationMin(seconds = 1) @DurationMax(minutes = 10) Duration requestReadTimeout,
		@DefaultValue("256") @Min(1) @Max(100_000) int maxPendingBodies,
		@DefaultValue("32") @Min(1) @Max(100_000) int maxPendingBodiesPerClient,
		@DefaultValue("32") @Min(1) @Max(10_000) int maxLargeAnswers,
		@DefaultValue("8") @Min(1) @Max(10_000) int maxLargeAnswersPerClient) {

}
