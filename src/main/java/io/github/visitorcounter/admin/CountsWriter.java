package io.github.visitorcounter.admin;

import java.time.Clock;

import io.github.visitorcounter.counter.CounterRegistry;
import io.github.visitorcounter.counter.PageStore;
import io.github.visitorcounter.web.StreamedJson;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Writes every counter's count as it walks the registry, a page at a time: a deployment
 * with a million counters is listed or exported in a few KiB of heap. A Redis failure
 * before the first bytes go out is a 503 like any other; one later cuts the answer short.
 */
@Component
class CountsWriter {

	private final CounterRegistry registry;

	private final JsonMapper json;

	private final PageStore pages;

	private final Clock clock;

	CountsWriter(CounterRegistry registry, PageStore pages, JsonMapper json) {
		this.registry = registry;
		this.pages = pages;
		this.json = json;
		this.clock = Clock.systemUTC();
	}

	/** {@code {"counters":[{"counter":"blog","count":12},…]}}, by name. */
	StreamedJson<AdminController.CounterList> list() {
		return write((generator) -> {
			generator.writeName("counters");
			generator.writeStartArray();
			this.registry.forEachCount((counter, count) -> {
				generator.writeStartObject();
				generator.writeName("counter");
				generator.writeString(counter);
				generator.writeName("count");
				generator.writeNumber(count);
				generator.writeEndObject();
			});
			generator.writeEndArray();
		});
	}

	/**
	 * {@code {"exportedAt":"…","counters":{"blog":12,…},"pages":{"blog":{"/a":3,…},…}}},
	 * counters by name, pages by counter as found: what import reads.
	 */
	StreamedJson<AdminController.Export> export() {
		return write((generator) -> {
			generator.writeName("exportedAt");
			generator.writeString(this.clock.instant().toString());
			generator.writeName("counters");
			generator.writeStartObject();
			this.registry.forEachCount((counter, count) -> {
				generator.writeName(counter);
				generator.writeNumber(count);
			});
			generator.writeEndObject();
			generator.writeName("pages");
			generator.writeStartObject();
			this.pages.forEachCounterWithPages((counter, pages) -> {
				generator.writeName(counter);
				generator.writeStartObject();
				pages.forEach((page) -> {
					generator.writeName(page.path());
					generator.writeNumber(page.count());
				});
				generator.writeEndObject();
			});
			generator.writeEndObject();
		});
	}

	private <T> StreamedJson<T> write(Fields fields) {
		return new StreamedJson<>((out) -> {
			try (JsonGenerator generator = this.json.createGenerator(out)) {
				generator.writeStartObject();
				fields.writeTo(generator);
				generator.writeEndObject();
			}
		});
	}

	@FunctionalInterface
	private interface Fields {

		void writeTo(JsonGenerator generator);

	}

}
