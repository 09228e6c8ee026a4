package io.github.visitorcounter.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.PackagedJar;
import io.github.visitorcounter.testing.RedisServer;
import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner API of a deployment with a million counters, on the packaged jar with the
 * image's JVM options: listing and exporting them all stream their answer instead of
 * holding it in a heap of 128 MB.
 */
class AdminAtScaleIntegrationTests {

	private static final int COUNTERS = 1_000_000;

	private static final String TOKEN = "test-admin-token-0123456789";

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	private static PackagedJar app;

	@BeforeAll
	static void aMillionCounters() {
		try (DirectRedis direct = new DirectRedis(redis)) {
			// Written in Redis directly, in chunks: a registry entry and a count each.
			for (int from = 0; from < COUNTERS; from += 100_000) {
				direct.commands()
					.eval("""
							for i = tonumber(ARGV[1]), tonumber(ARGV[2]) - 1 do
							  local name = string.format('c%07d', i)
							  redis.call('ZADD', KEYS[1], 0, name)
							  redis.call('SET', 'visitors:{' .. name .. '}:count', i)
							end
							return 0""", ScriptOutputType.INTEGER, new String[] { "visitors:{=registry}:counters" },
							Integer.toString(from), Integer.toString(from + 100_000));
			}
			direct.commands().set("visitors:{=registry}:complete", "1");
		}
		List<String> options = new ArrayList<>(PackagedJar.imageJvmOptions());
		app = PackagedJar.start(Map.of("REDIS_URL", redis.url(), "VISITORS_ADMIN_TOKEN", TOKEN, "VISITORS_ID_SECRET",
				"packaged-jar-test-secret-0123456789"), options.toArray(String[]::new))
			.awaitReady();
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void exportsAMillionCountersInNameOrder() throws Exception {
		try (InputStream body = get("/api/admin/export");
				JsonParser parser = JsonMapper.builder().build().createParser(body)) {
			long entries = 0;
			String previous = "";
			assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
			while (parser.nextToken() != JsonToken.END_OBJECT) {
				String field = parser.currentName();
				parser.nextToken();
				if ("counters".equals(field)) {
					while (parser.nextToken() != JsonToken.END_OBJECT) {
						String counter = parser.currentName();
						parser.nextToken();
						assertThat(counter).isGreaterThan(previous);
						assertThat(parser.getLongValue()).isEqualTo(Long.parseLong(counter.substring(1)));
						previous = counter;
						entries++;
					}
				}
			}
			assertThat(entries).isEqualTo(COUNTERS);
		}
		assertThat(app.process().isAlive()).isTrue();
	}

	@Test
	void listsAMillionCounters() throws Exception {
		try (InputStream body = get("/api/admin/counters");
				JsonParser parser = JsonMapper.builder().build().createParser(body)) {
			long entries = 0;
			while (parser.nextToken() != null) {
				if (parser.currentToken() == JsonToken.PROPERTY_NAME && "counter".equals(parser.currentName())) {
					entries++;
				}
			}
			assertThat(entries).isEqualTo(COUNTERS);
		}
		assertThat(app.process().isAlive()).isTrue();
	}

	@Test
	void importsWhatItExported() throws Exception {
		Path export = Files.createTempFile("export-", ".json");
		try {
			try (InputStream body = get("/api/admin/export")) {
				Files.copy(body, export, StandardCopyOption.REPLACE_EXISTING);
			}
			HttpResponse<String> imported = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/api/admin/import"))
					.header("Authorization", "Bearer " + TOKEN)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofFile(export))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(imported.body()).isEqualTo("{\"imported\":" + COUNTERS + ",\"importedPages\":0}");
		}
		finally {
			Files.delete(export);
		}
		assertThat(app.process().isAlive()).isTrue();
	}

	private static InputStream get(String path) throws IOException, InterruptedException {
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
				.header("Authorization", "Bearer " + TOKEN)
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
