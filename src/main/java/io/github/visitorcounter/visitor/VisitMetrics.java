package io.github.visitorcounter.visitor;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * What the counter reports to Micrometer: registrations by counter and outcome, requests
 * refused for their budget, and how long the registration script takes.
 */
@Component
class VisitMetrics {

	private final MeterRegistry registry;

	private final Timer scriptLatency;

	VisitMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.scriptLatency = Timer.builder("visitors.script.latency")
			.description("Time to run the registration script in Redis")
			.register(registry);
	}

	<T> T timeScript(Supplier<T> script) {
		return this.scriptLatency.record(script);
	}

	/**
	 * @param outcome {@code new}, {@code returning}, or the reason it was not counted
	 */
	void registered(String counter, String outcome) {
		Counter.builder("visitors.registrations")
			.description("Visits registered, by counter and outcome")
			.tag("counter", counter)
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	/**
	 * @param source {@code redis} when Redis refused the request, {@code memory} when the
	 * in-process cache did
	 */
	void overBudget(String counter, String source) {
		Counter.builder("visitors.rate.limit.rejections")
			.description("POSTs refused for being over the request budget")
			.tag("counter", counter)
			.tag("source", source)
			.register(this.registry)
			.increment();
	}

}
