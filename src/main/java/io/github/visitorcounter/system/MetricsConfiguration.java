package io.github.visitorcounter.system;

import java.util.Set;

import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics beyond Spring Boot's defaults: Redis command latencies from Lettuce's own
 * recorder (a timer per command type, cheaper than per-command tracing), and a bound on
 * the counter names used as tags, since anyone can invent a counter and each new tag
 * value is a new time series. The latencies leave out Lettuce's address tags: the metrics
 * endpoint is public, and where Redis runs is nobody's business.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	static final int MAX_COUNTER_TAGS = 100;

	private static final String LETTUCE_METERS = "lettuce.";

	/** Lettuce's tags for the client's and the server's address. */
	private static final Set<String> ADDRESS_TAGS = Set.of("local", "remote");

	@Bean
	ClientResourcesBuilderCustomizer lettuceCommandLatencies(MeterRegistry meterRegistry) {
		MicrometerOptions options = MicrometerOptions.builder()
			.histogram(false)
			.targetPercentiles(new double[0])
			.build();
		return (builder) -> builder
			.commandLatencyRecorder(new MicrometerCommandLatencyRecorder(meterRegistry, options));
	}

	@Bean
	MeterFilter boundedCounterTags() {
		return MeterFilter.maximumAllowableTags("visitors", "counter", MAX_COUNTER_TAGS, MeterFilter.deny());
	}

	@Bean
	MeterFilter noRedisAddressTags() {
		return new MeterFilter() {

			@Override
			public Meter.Id map(Meter.Id id) {
				if (!id.getName().startsWith(LETTUCE_METERS)) {
					return id;
				}
				return id
					.replaceTags(id.getTags().stream().filter((tag) -> !ADDRESS_TAGS.contains(tag.getKey())).toList());
			}

		};
	}

}
