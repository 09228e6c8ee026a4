package io.github.visitorcounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The curl examples of README.md and docs/ as executable documentation: each is run with
 * the real {@code curl} (through {@code bash}), in the order a reader meets it, against
 * the application with the settings the examples assume, and must answer what the
 * document shows. CONTRIBUTING.md ("Examples in the documentation") gives the
 * conventions: a comment naming Redis down stops Redis for the next command,
 * {@code # varies: name, ...} after a command leaves those values uncompared, {@code ...}
 * stands for lines left out, and the headers of a {@code curl -i} answer may be a subset.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.admin-token=" + DocumentationExamplesTests.TOKEN })
@DirtiesContext
class DocumentationExamplesTests {

	static final String TOKEN = "documentation-admin-token-0123456789";

	/** In reading order: the README first, then the deep dives it links to. */
	private static final List<Path> DOCUMENTS = List.of(Path.of("README.md"), Path.of("docs", "errors.md"),
			Path.of("docs", "live-counts.md"), Path.of("docs", "abuse-resistance.md"), Path.of("docs", "pages.md"));

	private static final Pattern BLOCK = Pattern.compile("(?ms)^ *```shell\\n(.*?)^ *```");

	private static final Pattern COMMAND_START = Pattern.compile("^(curl |[A-Z_]+=)");

	private static final Pattern REDIS_DOWN = Pattern.compile("(?i)^#.*\\bredis (is )?down\\b");

	private static final Pattern VARIES = Pattern.compile("#\\s*varies:\\s*(.+)$");

	private static final String DOCUMENTED_URL = "http://localhost:8080";

	/** Persisted, so that stopping it for a "Redis is down" example loses no count. */
	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.persisted());

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate redisTemplate;

	@TestFactory
	Stream<DynamicNode> everyCurlExampleAnswersAsShown() {
		List<DynamicNode> documents = new ArrayList<>();
		for (Path document : DOCUMENTS) {
			List<Example> examples = examples(read(document));
			assertThat(examples).as("curl examples in %s", document).isNotEmpty();
			Path workDirectory = temporaryDirectory();
			List<DynamicNode> tests = new ArrayList<>();
			// Each document starts from an empty Redis, as a reader who opens it would.
			tests
				.add(DynamicTest.dynamicTest("empty Redis", () -> TestRedisConfiguration.flushAll(this.redisTemplate)));
			List<String> assignments = new ArrayList<>();
			for (Example example : examples) {
				List<String> setup = List.copyOf(assignments);
				if (example.assignment()) {
					assignments.add(example.command());
				}
				tests.add(DynamicTest.dynamicTest(example.command().lines().findFirst().orElseThrow(),
						() -> run(example, setup, workDirectory)));
			}
			documents.add(DynamicContainer.dynamicContainer(document.toString(), tests));
		}
		return documents.stream();
	}

	private void run(Example example, List<String> setup, Path workDirectory) {
		if (example.redisDown()) {
			redis.whileStopped(() -> assertAnswer(example, execute(example, setup, workDirectory)));
			new ApiClient(this.port).awaitStorageReachable();
		}
		else {
			assertAnswer(example, execute(example, setup, workDirectory));
		}
	}

	private static void assertAnswer(Example example, String actual) {
		List<String> expected = mask(example.expected(), example.varying());
		List<String> answered = mask(lines(actual), example.varying());
		if (!expected.isEmpty() && expected.get(0).startsWith("HTTP/")) {
			assertResponse(expected, answered);
		}
		else {
			assertThat(matches(expected, answered))
				.as("%s%nshown:%n%s%nanswered:%n%s", example.command(), String.join("\n", expected),
						String.join("\n", answered))
				.isTrue();
		}
	}

	/**
	 * An answer with its head ({@code curl -i}): the status line, the headers shown (in
	 * any order, among others), then the body as shown, unless left out.
	 */
	private static void assertResponse(List<String> expected, List<String> answered) {
		int answeredHeadEnd = answered.indexOf("");
		List<String> head = (answeredHeadEnd < 0) ? answered : answered.subList(0, answeredHeadEnd);
		List<String> body = (answeredHeadEnd < 0) ? List.of() : answered.subList(answeredHeadEnd + 1, answered.size());
		int expectedHeadEnd = 0;
		while (expectedHeadEnd < expected.size() && !expected.get(expectedHeadEnd).isEmpty()
				&& !expected.get(expectedHeadEnd).equals("...")) {
			expectedHeadEnd++;
		}
		assertThat(head).as("status line").isNotEmpty();
		assertThat(head.get(0)).isEqualTo(expected.get(0));
		Set<String> headers = Set.copyOf(head.stream().map(String::toLowerCase).toList());
		expected.subList(1, expectedHeadEnd)
			.forEach((header) -> assertThat(headers).as("headers %s", head).contains(header.toLowerCase()));
		List<String> expectedBody = expected.subList(Math.min(expectedHeadEnd + 1, expected.size()), expected.size())
			.stream()
			.dropWhile((line) -> line.isEmpty())
			.toList();
		if (!expectedBody.isEmpty()) {
			assertThat(matches(expectedBody, body))
				.as("body shown:%n%s%nanswered:%n%s", String.join("\n", expectedBody), String.join("\n", body))
				.isTrue();
		}
	}

	/** Whether the lines match, where a {@code ...} line stands for any lines. */
	private static boolean matches(List<String> expected, List<String> actual) {
		if (expected.isEmpty()) {
			return actual.isEmpty();
		}
		if (expected.get(0).equals("...")) {
			for (int skipped = 0; skipped <= actual.size(); skipped++) {
				if (matches(expected.subList(1, expected.size()), actual.subList(skipped, actual.size()))) {
					return true;
				}
			}
			return false;
		}
		return !actual.isEmpty() && expected.get(0).equals(actual.get(0))
				&& matches(expected.subList(1, expected.size()), actual.subList(1, actual.size()));
	}

	/** Replaces the values of the varying JSON properties and headers. */
	private static List<String> mask(List<String> lines, List<String> varying) {
		return lines.stream().map((line) -> {
			String masked = line;
			for (String name : varying) {
				masked = masked.replaceAll("\"" + Pattern.quote(name) + "\":(\"[^\"]*\"|[-0-9.]+)",
						"\"" + Matcher.quoteReplacement(name) + "\":…");
				masked = masked.replaceAll("(?i)^(" + Pattern.quote(name) + "): .*$", "$1: …");
			}
			return masked;
		}).toList();
	}

	private String execute(Example example, List<String> setup, Path workDirectory) {
		String script = String.join("\n", setup) + "\n" + example.command();
		try {
			Path output = Files.createTempFile(workDirectory, "answer", ".txt");
			ProcessBuilder builder = new ProcessBuilder("bash", "-c",
					script.replace(DOCUMENTED_URL, "http://localhost:" + this.port))
				.directory(workDirectory.toFile())
				.redirectErrorStream(false)
				.redirectOutput(output.toFile())
				.redirectError(ProcessBuilder.Redirect.DISCARD);
			builder.environment().put("VISITORS_ADMIN_TOKEN", TOKEN);
			Process process = builder.start();
			// A stream never ends by itself: what it sent in a few seconds is its answer.
			boolean streaming = example.command().contains("curl -N");
			if (!process.waitFor(streaming ? 3 : 30, TimeUnit.SECONDS)) {
				assertThat(streaming).as("%s ended", example.command()).isTrue();
				process.descendants().forEach(ProcessHandle::destroy);
				process.destroy();
				process.waitFor(5, TimeUnit.SECONDS);
			}
			return Files.readString(output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The examples of a document: each command (a {@code curl} or a shell variable,
	 * continued over lines ending in {@code \}) with the answer shown below it, up to the
	 * next command or comment.
	 */
	static List<Example> examples(String markdown) {
		List<Example> examples = new ArrayList<>();
		Matcher block = BLOCK.matcher(markdown);
		while (block.find()) {
			List<String> lines = block.group(1).lines().map(String::strip).toList();
			if (lines.stream().noneMatch((line) -> line.startsWith("curl ") && line.contains(DOCUMENTED_URL))) {
				continue;
			}
			boolean redisDown = false;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (line.startsWith("#")) {
					redisDown = REDIS_DOWN.matcher(line).find();
					continue;
				}
				if (!COMMAND_START.matcher(line).find()) {
					continue;
				}
				StringBuilder command = new StringBuilder(line);
				while (line.endsWith("\\") && i + 1 < lines.size()) {
					line = lines.get(++i);
					command.append("\n").append(line);
				}
				List<String> expected = new ArrayList<>();
				while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("#")
						&& !COMMAND_START.matcher(lines.get(i + 1)).find()) {
					expected.add(lines.get(++i));
				}
				Matcher varies = VARIES.matcher(line);
				List<String> varying = varies.find() ? List.of(varies.group(1).split("\\s*,\\s*")) : List.of();
				examples.add(new Example(command.toString(), trimmed(expected), varying, redisDown));
				redisDown = false;
			}
		}
		return examples;
	}

	private static List<String> lines(String text) {
		return trimmed(text.replace("\r", "").lines().map(String::stripTrailing).toList());
	}

	private static List<String> trimmed(List<String> lines) {
		int end = lines.size();
		while (end > 0 && lines.get(end - 1).isBlank()) {
			end--;
		}
		return List.copyOf(lines.subList(0, end));
	}

	private static String read(Path document) {
		try {
			return Files.readString(document);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path temporaryDirectory() {
		try {
			Path directory = Files.createTempDirectory("documentation-examples");
			directory.toFile().deleteOnExit();
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param command the shell command, as the document shows it
	 * @param expected the answer shown
	 * @param varying the JSON properties and headers whose values are not compared
	 * @param redisDown whether it runs with Redis stopped
	 */
	record Example(String command, List<String> expected, List<String> varying, boolean redisDown) {

		boolean assignment() {
			return !this.command.startsWith("curl ");
		}

	}

}
