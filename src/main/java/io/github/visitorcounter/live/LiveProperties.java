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
 * @param maxStreams concurrent streams per instance (503 beyond); 0 sizes the cap by the
 * heap ({@link #streamCap()})
 * @param maxStreamsPerClient concurrent streams per client address, IPv6 addresses
 * counted by their /64 (429 beyond)
 * @param maxDuration after this long a stream is ended; {@code EventSource} reconnects
 * with {@code Last-Event-ID}, which keeps long-lived connections from piling up
 * @param resyncInterval how often the counts of watched counters are re-read besides
 * after a reconnection, in case a change message was lost: one command per watched
 * counter and interval
 */
@Validated
@ConfigurationProperties("visitors.live")
record LiveProperties(@DefaultValue("15s") @DurationMin(millis = 50) @DurationMax(seconds = 15) Duration heartbeat,
		@DefaultValue("250ms") @DurationMin(millis = 0) Duration minEventInterval,
		@DefaultValue("0") @Min(0) int maxStreams, @DefaultValue("10") @Min(1) int maxStreamsPerClient,
		@DefaultValue("30m") @DurationMin(seconds = 1) Duration maxDuration,
		@DefaultValue("60s") @DurationMin(millis = 50) Duration resyncInterval) {

	/**
	 * Heap an open stream may take, its connection's buffers included: what the cap is
	 * sized by. bench/stream-heap.sh measures what a stream really takes (BENCHMARKS.md).
	 */
	static final long HEAP_PER_STREAM = 32 * 1024;

	/**
	 * The instance cap: {@code maxStreams}, or if that is 0 as many streams as a quarter
	 * of the maximum heap holds at {@link #HEAP_PER_STREAM} each (about 1,000 with the
	 * image's {@code -Xmx128m}), so that streams can never take the heap that requests
	 * need.
	 */
	int streamCap() {
		if (this.maxStreams > 0) {
			return this.maxStreams;
		}
		return (int) Math.max(1, Runtime.getRuntime().maxMemory() / 4 / HEAP_PER_STREAM);
	}

}
