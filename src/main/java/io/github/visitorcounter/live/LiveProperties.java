package io.github.visitorcounter.live;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Live counts over server-sent events, bound from {@code visitors.live.*}.
 *
 * @param heartbeat how often each stream gets a comment line, so that proxies keep idle
 * streams open and vanished clients are noticed; at most 15 s
 * @param minEventInterval least time between two events on one stream: a burst of visits
 * is coalesced into the latest value
 * @param maxStreams concurrent streams per instance (503 beyond)
 * @param maxStreamsPerClient concurrent streams per client address (429 beyond)
 * @param maxDuration after this long a stream is ended; {@code EventSource} reconnects
 * with {@code Last-Event-ID}, which keeps long-lived connections from piling up
 */
@Validated
@ConfigurationProperties("visitors.live")
record LiveProperties(@DefaultValue("15s") @DurationMin(millis = 50) @DurationMax(seconds = 15) Duration heartbeat,
		@DefaultValue("250ms") @DurationMin(millis = 0) Duration minEventInterval,
		@DefaultValue("1000") @Min(1) int maxStreams, @DefaultValue("10") @Min(1) int maxStreamsPerClient,
		@DefaultValue("30m") @DurationMin(seconds = 1) Duration maxDuration) {

}
