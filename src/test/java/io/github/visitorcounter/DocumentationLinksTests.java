package io.github.visitorcounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in the project's Markdown resolves as it does on GitHub: the file
 * exists, and a {@code #anchor} names a heading of the target Markdown file by GitHub's
 * slug rules. Links to other sites are not followed.
 */
class DocumentationLinksTests {

	private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})");

	// A code span does not run past a blank line.
	private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\n\\s*\\n)[\\s\\S])+?\\1");

	private static final Pattern INLINE_LINK = Pattern
		.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

	private static final Pattern REFERENCE_DEFINITION = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)");

	private static final Pattern HTML_LINK = Pattern.compile("<(?:a|img)\\s[^>]*?(?:href|src)=\"([^\"]+)\"");

	private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");

	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s[^>]*?(?:id|name)=\"([^\"]+)\"");

	private static final Pattern OTHER_SITE = Pattern.compile("^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)");

	private static final Pattern SOURCE_LINE = Pattern.compile("L\\d+(?:-L\\d+)?");

	@Test
	void everyRelativeLinkInTheDocumentationResolves() {
		Path root = Path.of("").toAbsolutePath();
		List<Path> documents = documents(root);
		assertThat(documents).extracting((document) -> root.relativize(document).toString())
			.contains("README.md", "CONTRIBUTING.md", "BENCHMARKS.md")
			.anyMatch((name) -> name.startsWith("docs/"));
		assertThat(documents)
			.flatMap((document) -> brokenLinks(document).stream()
				.map((link) -> root.relativize(document) + ": " + link)
				.toList())
			.isEmpty();
	}

	@Test
	void aLinkToAMissingFileOrHeadingIsBroken(@TempDir Path dir) {
		write(dir, "docs/guide.md", "# Guide\n\n## Live counts: `GET /api/visitors/stream`\n");
		write(dir, "src/Main.java", "class Main {}\n");
		write(dir, "README.md", """
				# Read me

				The [guide](docs/guide.md), [its live counts](docs/guide.md#live-counts-get-apivisitorsstream),
				[this page](#read-me), [the code](src/Main.java) and [a line of it](src/Main.java#L1) resolve.
				[A missing page](docs/gone.md), [a missing
				heading](docs/guide.md#live-counts), [one here](#nowhere), [missing code](src/Gone.java), [a
				heading in code](src/Main.java#main) and [from the root](/docs/guide.md) do not.

				[reference]: docs/also-gone.md
				""");
		assertThat(brokenLinks(dir.resolve("README.md"))).containsExactly("docs/gone.md (no such file)",
				"docs/guide.md#live-counts (no such heading)", "#nowhere (no such heading)",
				"src/Gone.java (no such file)", "src/Main.java#main (not a Markdown file)",
				"/docs/guide.md (root-relative: give a relative path)", "docs/also-gone.md (no such file)");
	}

	@Test
	void aLinkFromASubfolderResolvesFromThere(@TempDir Path dir) {
		write(dir, "README.md", "# Quick start\n");
		write(dir, "docs/guide.md", "[Quick start](../README.md#quick-start), [not here](README.md)\n");
		assertThat(brokenLinks(dir.resolve("docs/guide.md"))).containsExactly("README.md (no such file)");
	}

	@Test
	void codeIsNeitherALinkNorAHeading(@TempDir Path dir) {
		write(dir, "README.md", """
				```shell
				# fenced
				[fenced link](missing.md)
				```

				~~~
				[tilde-fenced link](missing.md)
				~~~

				`[code span](missing.md)` and ``[double](missing.md)``, but [a link](#fenced).
				""");
		assertThat(brokenLinks(dir.resolve("README.md"))).containsExactly("#fenced (no such heading)");
	}

	@Test
	void headingsAreSluggedAsGitHubDoes() {
		assertThat(slug("Live counts: `GET /api/visitors/stream` and `GET /api/visitors/{counter}/stream`"))
			.isEqualTo("live-counts-get-apivisitorsstream-and-get-apivisitorscounterstream");
		assertThat(slug("Levers sized after run G (`ae03052`), Java 25"))
			.isEqualTo("levers-sized-after-run-g-ae03052-java-25");
		assertThat(slug("JVM flags — A/B in one run")).isEqualTo("jvm-flags--ab-in-one-run");
		assertThat(slug("Tomcat's NIO2 connector, *not* [NIO](https://example.com)"))
			.isEqualTo("tomcats-nio2-connector-not-nio");
		assertThat(slug("snake_case-and-kebab Größe")).isEqualTo("snake_case-and-kebab-größe");
	}

	@Test
	void aRepeatedHeadingGetsANumberedAnchor(@TempDir Path dir) {
		write(dir, "BENCHMARKS.md", "## Results\n\n## Results\n\n<a id=\"kept\"></a>\n## Results\n");
		assertThat(anchors(dir.resolve("BENCHMARKS.md"))).containsExactly("results", "results-1", "kept", "results-2");
	}

	private static List<Path> documents(Path root) {
		List<Path> documents = new ArrayList<>(markdownFiles(root));
		documents.addAll(markdownFiles(root.resolve("docs")));
		return documents;
	}

	private static List<Path> markdownFiles(Path dir) {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter((file) -> file.toString().endsWith(".md")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The relative links of a Markdown file that do not resolve, each with the reason.
	 */
	private static List<String> brokenLinks(Path document) {
		List<String> broken = new ArrayList<>();
		for (String link : relativeLinks(document)) {
			String problem = problem(document, link);
			if (problem != null) {
				broken.add(link + " (" + problem + ")");
			}
		}
		return broken;
	}

	private static String problem(Path document, String link) {
		int hash = link.indexOf('#');
		String path = (hash < 0) ? link : link.substring(0, hash);
		String anchor = (hash < 0) ? "" : link.substring(hash + 1);
		if (path.startsWith("/")) {
			return "root-relative: give a relative path";
		}
		Path target = path.isEmpty() ? document
				: document.getParent().resolve(URLDecoder.decode(path, StandardCharsets.UTF_8)).normalize();
		if (!Files.exists(target)) {
			return "no such file";
		}
		if (anchor.isEmpty()) {
			return null;
		}
		if (!target.toString().endsWith(".md")) {
			return SOURCE_LINE.matcher(anchor).matches() ? null : "not a Markdown file";
		}
		return anchors(target).contains(anchor) ? null : "no such heading";
	}

	private static List<String> relativeLinks(Path document) {
		String prose = CODE_SPAN.matcher(withoutFencedCode(read(document))).replaceAll("code");
		List<String> links = new ArrayList<>();
		for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_DEFINITION, HTML_LINK)) {
			Matcher matcher = pattern.matcher(prose);
			while (matcher.find()) {
				if (!OTHER_SITE.matcher(matcher.group(1)).find()) {
					links.add(matcher.group(1));
				}
			}
		}
		return links;
	}

	/**
	 * The anchors GitHub gives a Markdown file: one per heading, numbered from the second
	 * heading of the same text on, and those of HTML {@code <a id>} or {@code <a name>}.
	 */
	private static Set<String> anchors(Path document) {
		Set<String> anchors = new LinkedHashSet<>();
		for (String line : withoutFencedCode(read(document)).split("\n")) {
			Matcher anchor = HTML_ANCHOR.matcher(line);
			while (anchor.find()) {
				anchors.add(anchor.group(1));
			}
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String slug = slug(heading.group(1));
				String unique = slug;
				for (int n = 1; anchors.contains(unique); n++) {
					unique = slug + "-" + n;
				}
				anchors.add(unique);
			}
		}
		return anchors;
	}

	/**
	 * GitHub's heading slug: the rendered text in lower case, punctuation and symbols
	 * dropped except {@code -} and {@code _}, each space a {@code -}.
	 */
	private static String slug(String heading) {
		String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc}\\- ]", "").replace(' ', '-');
	}

	/**
	 * The document with the lines of fenced code blocks blanked out, so that line numbers
	 * and paragraphs stay as they are.
	 */
	private static String withoutFencedCode(String markdown) {
		StringBuilder prose = new StringBuilder();
		String fence = null;
		for (String line : markdown.split("\n", -1)) {
			Matcher opening = FENCE.matcher(line);
			if (fence == null && opening.find()) {
				fence = opening.group(1);
				prose.append('\n');
			}
			else if (fence != null) {
				String closing = line.strip();
				char mark = fence.charAt(0);
				if (closing.length() >= fence.length() && closing.chars().allMatch((c) -> c == mark)) {
					fence = null;
				}
				prose.append('\n');
			}
			else {
				prose.append(line).append('\n');
			}
		}
		return prose.toString();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Path dir, String name, String content) {
		try {
			Path file = dir.resolve(name);
			Files.createDirectories(file.getParent());
			Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
