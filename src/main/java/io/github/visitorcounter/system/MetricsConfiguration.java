package io.github.visitorcounter.system;

import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics beyond Spring Boot's defaults: Redis command latencies from Lettuce's own
 * recorder (a timer per command type, cheaper than per-command tracing), and a bound on
 * the counter names used as tags, since anyone can invent a counter and each new tag
 * value is a new time series.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	static final int MAX_COUNTER_TAGS = 100;

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

}
