package io.github.visitorcounter.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's error table lists exactly the problem types of {@link ProblemType}, each with
 * its status: a type added to the list or to the table alone fails here.
 */
class ProblemTypesDocumentedTests {

	private static final String ERRORS_HEADING = "### Errors";

	/** A row of the table: {@code | 503 | `urn:...` | when |}. */
	private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d{3})\\s*\\|\\s*`([^`]+)`\\s*\\|");

	@Test
	void readmeErrorTableListsEveryProblemTypeWithItsStatus() throws IOException {
		List<String> documented = errorTable(Files.readString(Path.of("README.md")));
		assertThat(documented).as("README's error table").doesNotHaveDuplicates();
		assertThat(documented).as("README's error table")
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(ProblemType.values())
				.map((type) -> type.status().value() + " " + type.type())
				.toList());
	}

	@Test
	void readsTheRowsOfTheErrorSectionOnly() {
		String readme = """
				## API

				| status | `type` | when |
				|---|---|---|
				| 400 | `urn:visitor-counter:problem:before` | a table before the section |

				### Errors

				Every error is a problem.

				| status | `type` | when |
				|---|---|---|
				| 400 | `urn:visitor-counter:problem:invalid-request` | `visitorId` missing |
				|503|`urn:visitor-counter:problem:storage-unavailable`|Redis is unreachable|

				### Owner API

				| 404 | `urn:visitor-counter:problem:after` | a table after the section |
				""";
		assertThat(errorTable(readme)).containsExactly("400 urn:visitor-counter:problem:invalid-request",
				"503 urn:visitor-counter:problem:storage-unavailable");
	}

	/** Each row of the table under the Errors heading, as {@code status type}. */
	private static List<String> errorTable(String readme) {
		List<String> lines = readme.lines().toList();
		int heading = lines.indexOf(ERRORS_HEADING);
		assertThat(heading).as("README's %s heading", ERRORS_HEADING).isNotNegative();
		return lines.stream()
			.skip(heading + 1)
			.takeWhile((line) -> !line.startsWith("#"))
			.map(ROW::matcher)
			.filter(Matcher::find)
			.map((row) -> row.group(1) + " " + row.group(2))
			.toList();
	}

}
