package io.github.visitorcounter.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.github.visitorcounter.counter.CounterAdministration;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.web.InvalidRequestException;
import io.github.visitorcounter.web.PayloadTooLargeException;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Imports what the export produced, however many counters: the body is spooled to a
 * temporary file as it arrives (within its size limit), checked whole, and only then
 * written, a batch of counts per two commands. So an invalid entry anywhere changes
 * nothing, and the heap holds one batch, never the whole body.
 */
@Component
class CountsImport {

	static final String PATH = "/api/admin/import";

	private static final int BATCH = 1000;

	private final JsonMapper jsonMapper;

	private final CounterAdministration administration;

	private final long maxBytes;

	CountsImport(JsonMapper jsonMapper, CounterAdministration administration, AdminProperties admin) {
		this.jsonMapper = jsonMapper;
		this.administration = administration;
		this.maxBytes = admin.adminImportMaxSize().toBytes();
	}

	/**
	 * @return how many counts were imported
	 * @throws PayloadTooLargeException when the body is over the limit
	 */
	int importFrom(InputStream body) throws IOException {
		Path spooled = Files.createTempFile("visitor-counter-import-", ".json");
		try {
			spool(body, spooled);
			int counts = read(spooled, null);
			read(spooled, this.administration::setCounts);
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
				if (total > this.maxBytes) {
					throw new PayloadTooLargeException(this.maxBytes);
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
	 * Reads {@code {"counters": {"<name>": <count>, ...}}} (other properties, such as the
	 * export's {@code exportedAt}, are skipped), handing batches to the sink if there is
	 * one.
	 */
	private int read(Path spooled, Consumer<Map<String, Long>> sink) throws IOException {
		try (InputStream in = Files.newInputStream(spooled); JsonParser parser = this.jsonMapper.createParser(in)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new ProblemException(ProblemType.MALFORMED_BODY);
			}
			int counts = -1;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String property = parser.currentName();
				JsonToken value = parser.nextToken();
				if (!"counters".equals(property)) {
					parser.skipChildren();
				}
				else if (value != JsonToken.START_OBJECT) {
					throw invalid("must be an object of counts by counter name");
				}
				else {
					counts = readCounts(parser, sink);
				}
			}
			if (counts < 0) {
				throw invalid("is required");
			}
			return counts;
		}
		catch (JacksonException ex) {
			throw new ProblemException(ProblemType.MALFORMED_BODY);
		}
	}

	private int readCounts(JsonParser parser, Consumer<Map<String, Long>> sink) {
		int counts = 0;
		Map<String, Long> batch = new LinkedHashMap<>();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String counter = parser.currentName();
			JsonToken count = parser.nextToken();
			if (!CounterNames.isValid(counter)) {
				throw invalid("holds a name that is not a counter name: " + CounterNames.MESSAGE);
			}
			if (count != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
					|| parser.getLongValue() < 0 || parser.getLongValue() > AdminController.MAX_COUNT) {
				throw invalid("holds a count that is not a whole number from 0 to " + AdminController.MAX_COUNT);
			}
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

	private static InvalidRequestException invalid(String message) {
		return new InvalidRequestException(Map.of("counters", message));
	}

}
