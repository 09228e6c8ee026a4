package io.github.visitorcounter.system;

import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structured-log option: JSON lines, one per request at debug level, with no visitor
 * ids or addresses.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "logging.structured.format.console=ecs",
				"logging.level.io.github.visitorcounter.web.RequestLogging=debug" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class StructuredLoggingTests extends ApiTestSupport {

	@Test
	void logsOneJsonLinePerRequestWithoutIdsOrAddresses(CapturedOutput output) {
		String visitorId = UUID.randomUUID().toString();
		this.api.post("/api/visitors/logged", visit(visitorId), "X-Forwarded-For", "203.0.113.9");
		List<String> requestLines = output.getOut()
			.lines()
			.filter((line) -> line.contains("\"message\":\"POST /api/visitors/logged 200"))
			.toList();
		assertThat(requestLines).singleElement()
			.satisfies((line) -> assertThat(line).startsWith("{")
				.endsWith("}")
				.contains("\"log\":{\"level\":\"DEBUG\"")
				.doesNotContain(visitorId)
				.doesNotContain("127.0.0.1")
				.doesNotContain("203.0.113.9"));
		assertThat(output.getOut()).doesNotContain(visitorId);
	}

}
