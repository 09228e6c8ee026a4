package io.github.visitorcounter.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.github.visitorcounter.counter.CounterAdministration;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.counter.CounterRegistry;
import io.github.visitorcounter.counter.CounterStore;
import io.github.visitorcounter.counter.PagePaths;
import io.github.visitorcounter.counter.PagePaths.InvalidPagePathException;
import io.github.visitorcounter.counter.PageStore;
import io.github.visitorcounter.counter.PageStore.PageCount;
import io.github.visitorcounter.web.InvalidRequestException;
import io.github.visitorcounter.web.PayloadTooLargeException;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemType;
import io.github.visitorcounter.web.StreamedJson;
import io.github.visitorcounter.web.Utf8Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * What the owner API reads out and takes in by the many: the lists of counters and of a
 * counter's pages, and the export, in the one format that import reads back.
 * <p>
 * The list of counters and the export write every counter's count as they walk the
 * registry, a page at a time: a deployment with a million counters is listed or exported
 * in a few KiB of heap. A Redis failure before the first bytes go out is a 503 like any
 * other; one later cuts the answer short.
 * <p>
 * Import takes however many counters: the body is spooled to a temporary file as it
 * arrives (within its size limit), checked whole, and only then written, a batch of
 * counts per two commands. So an invalid entry anywhere changes nothing, and the heap
 * holds one batch, never the whole body.
 */
@Component
class OwnerCounts {

	static final String IMPORT_PATH = "/api/admin/import";

	private static final String EXPORTED_AT = "exportedAt";

	private static final String COUNTERS = "counters";

	private static final String PAGES = "pages";

	/** The most characters of a name or path an error message quotes. */
	private static final int QUOTED_LENGTH = 100;

	private static final String IMPORT_SHAPE = "The request body must be a JSON object as the export writes, such as "
			+ "{\"counters\":{\"blog\":12},\"pages\":{\"blog\":{\"/posts/hello\":3}}}.";

	private static final int BATCH = 1000;

	private final JsonMapper json;

	private final CounterRegistry registry;

	private final PageStore pages;

	private final CounterAdministration administration;

	private final long maxImportBytes;

	private final Clock clock = Clock.systemUTC();

	OwnerCounts(JsonMapper json, CounterRegistry registry, PageStore pages, CounterAdministration administration,
			AdminProperties admin) {
		this.json = json;
		this.registry = registry;
		this.pages = pages;
		this.administration = administration;
		this.maxImportBytes = admin.adminImportMaxSize().toBytes();
	}

	/** {@code {"counters":[{"counter":"blog","count":12},…]}}, by name. */
	StreamedJson<AdminController.CounterList> list() {
		return write((generator) -> {
			generator.writeName(COUNTERS);
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

	/** Whether a counter holds a page of exactly that path. */
	boolean holdsPage(String counter, String path) {
		return this.pages.holds(counter, path);
	}

	/** Every page of a counter with its count, most visited first. */
	List<PageCount> pages(String counter) {
		return this.pages.all(counter);
	}

	/**
	 * {@code {"exportedAt":"…","counters":{"blog":12,…},"pages":{"blog":{"/a":3,…},…}}},
	 * counters by name, pages by counter as found: what import reads.
	 */
	StreamedJson<AdminController.Export> export() {
		return write((generator) -> {
			generator.writeName(EXPORTED_AT);
			generator.writeString(this.clock.instant().toString());
			generator.writeName(COUNTERS);
			generator.writeStartObject();
			this.registry.forEachCount((counter, count) -> {
				generator.writeName(counter);
				generator.writeNumber(count);
			});
			generator.writeEndObject();
			generator.writeName(PAGES);
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

	/**
	 * @return how many counters' and pages' counts were imported
	 * @throws PayloadTooLargeException when the body is over the limit
	 */
	AdminController.Imported importFrom(InputStream body) throws IOException {
		Path spooled = Files.createTempFile("visitor-counter-import-", ".json");
		try {
			spool(body, spooled);
			if (!Utf8Json.isUtf8Json(spooled)) {
				throw new ProblemException(ProblemType.MALFORMED_BODY, ProblemType.BODY_NOT_UTF8);
			}
			AdminController.Imported counts = read(spooled, false);
			read(spooled, true);
			return counts;
		}
		finally {
			Files.deleteIfExists(spooled);
		}
	}

	private void spool(InputStream body, Path spooled) throws IOException {
		byte[] buffer = new byte[8192];
		long total = 0;
		try (OutputStream out = Files.newOutputStream(spooled)) {
			for (int read = readFrom(body, buffer); read != -1; read = readFrom(body, buffer)) {
				total += read;
				if (total > this.maxImportBytes) {
					throw new PayloadTooLargeException(this.maxImportBytes);
				}
				out.write(buffer, 0, read);
			}
		}
	}

	/**
	 * Reads the body as it arrives: a client that pauses longer than the server's read
	 * timeout, or breaks off, gets a 408 or a 400, as with any other body.
	 */
	private static int readFrom(InputStream body, byte[] buffer) {
		try {
			return body.read(buffer);
		}
		catch (IOException ex) {
			throw new ProblemException(ProblemType.ofUnreadableBody(ex));
		}
	}

	/**
	 * Reads {@code {"counters": {"<name>": <count>, ...}}} and, if present,
	 * {@code "pages": {"<name>": {"<path>": <count>, ...}, ...}} (other properties, such
	 * as the export's {@code exportedAt}, are skipped), writing batches if told to.
	 * @return how many counters' and pages' counts it holds
	 */
	private AdminController.Imported read(Path spooled, boolean write) throws IOException {
		try (InputStream in = Files.newInputStream(spooled); JsonParser parser = this.json.createParser(in)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new ProblemException(ProblemType.MALFORMED_BODY, IMPORT_SHAPE);
			}
			int counts = -1;
			int pages = 0;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String property = parser.currentName();
				JsonToken value = parser.nextToken();
				if (PAGES.equals(property)) {
					pages += readPages(parser, value, write);
				}
				else if (!COUNTERS.equals(property)) {
					parser.skipChildren();
				}
				else if (value != JsonToken.START_OBJECT) {
					throw invalid("must be an object of counts by counter name");
				}
				else {
					counts = readCounts(parser, write ? this.administration::setCounts : null);
				}
			}
			if (parser.nextToken() != null) {
				// A second export pasted after the first, or a damaged file: refused in
				// the pass that writes nothing, rather than imported in half.
				throw new ProblemException(ProblemType.MALFORMED_BODY, IMPORT_SHAPE);
			}
			if (counts < 0) {
				throw invalid("is required");
			}
			return new AdminController.Imported(counts, pages);
		}
		catch (JacksonException ex) {
			throw new ProblemException(ProblemType.MALFORMED_BODY, IMPORT_SHAPE);
		}
	}

	private int readCounts(JsonParser parser, Consumer<Map<String, Long>> sink) {
		int counts = 0;
		Map<String, Long> batch = new LinkedHashMap<>();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String counter = parser.currentName();
			JsonToken count = parser.nextToken();
			if (!CounterNames.isValid(counter)) {
				throw invalid(
						"holds a name that is not a counter name: " + quoted(counter) + ": " + CounterNames.MESSAGE);
			}
			requireCount(parser, count, COUNTERS, quoted(counter));
			counts++;
			if (sink != null) {
				batch.put(counter, parser.getLongValue());
				if (batch.size() == BATCH) {
					sink.accept(batch);
					batch = new LinkedHashMap<>();
				}
			}
		}
		if (sink != null && !batch.isEmpty()) {
			sink.accept(batch);
		}
		return counts;
	}

	/**
	 * Reads the pages of each counter, each path as a visit would have normalised it,
	 * writing them a batch at a time. The page limit bounds what visits create, not what
	 * the owner restores: whatever export wrote, import takes back.
	 */
	private int readPages(JsonParser parser, JsonToken value, boolean write) {
		if (value != JsonToken.START_OBJECT) {
			throw invalid(PAGES, "must be an object of pages by counter name");
		}
		int read = 0;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String counter = parser.currentName();
			if (!CounterNames.isValid(counter)) {
				throw invalid(PAGES,
						"holds a name that is not a counter name: " + quoted(counter) + ": " + CounterNames.MESSAGE);
			}
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw invalid(PAGES,
						"must hold an object of counts by path for each counter, unlike at " + quoted(counter));
			}
			Map<String, Long> pages = new LinkedHashMap<>();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String path = parser.currentName();
				String where = quoted(counter) + " " + quoted(path);
				requireCount(parser, parser.nextToken(), PAGES, where);
				if (!isNormalised(path)) {
					throw invalid(PAGES, "holds a path that is not a normalised page path (docs/pages.md) at " + where);
				}
				pages.put(path, parser.getLongValue());
				read++;
				if (pages.size() == BATCH) {
					writePages(counter, pages, write);
				}
			}
			writePages(counter, pages, write);
		}
		return read;
	}

	private void writePages(String counter, Map<String, Long> pages, boolean write) {
		if (write && !pages.isEmpty()) {
			this.administration.setPageCounts(counter, pages);
		}
		pages.clear();
	}

	private static boolean isNormalised(String path) {
		try {
			return PagePaths.normalise(path).equals(path);
		}
		catch (InvalidPagePathException ex) {
			return false;
		}
	}

	/**
	 * @param where the entry, for the message: a whole import can be large
	 */
	private static void requireCount(JsonParser parser, JsonToken count, String field, String where) {
		if (count != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
				|| parser.getLongValue() < 0 || parser.getLongValue() > CounterStore.MAX_COUNT) {
			throw invalid(field,
					"holds a count that is not a whole number from 0 to " + CounterStore.MAX_COUNT + " at " + where);
		}
	}

	/** A name or path from the body, quoted and cut short, to say where an error is. */
	private static String quoted(String text) {
		return "\"" + ((text.length() > QUOTED_LENGTH) ? text.substring(0, QUOTED_LENGTH) + "…" : text) + "\"";
	}

	private static InvalidRequestException invalid(String message) {
		return invalid(COUNTERS, message);
	}

	private static InvalidRequestException invalid(String field, String message) {
		return new InvalidRequestException(Map.of(field, message));
	}

}
