package io.github.visitorcounter.system;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The structured-log option: JSON lines, one per request at debug level, with no visitor
 * ids or addresses, and the status the client got, also for a request answered after its
 * body arrived (or did not).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "logging.structured.format.console=ecs",
				"logging.level.io.github.visitorcounter.web.RequestLogging=debug", "visitors.request-read-timeout=1s" })
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

	@Test
	void logsARequestWhoseBodyArrivesLaterOnceWithTheStatusItGot(CapturedOutput output) throws Exception {
		String body = visit(UUID.randomUUID().toString());
		String head = "POST /api/visitors/%s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test/1.0\r\n"
				+ "Connection: close\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
				+ "\r\n\r\n";
		try (Socket late = new Socket()) {
			late.connect(new InetSocketAddress("127.0.0.1", this.port));
			OutputStream out = late.getOutputStream();
			out.write(head.formatted("late").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			Thread.sleep(300);
			assertThat(
					RawHttp.exchange(late, body.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(5)).status())
				.isEqualTo(200);
		}
		assertThat(RawHttp.exchange(this.port, head.formatted("stopped") + body.substring(0, 5), Duration.ofSeconds(5))
			.status()).isEqualTo(408);
		// Logged when the request completes, which may be just after the client has its
		// answer.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(requestLines(output, "POST /api/visitors/late ")).singleElement()
				.satisfies((line) -> assertThat(line).contains("POST /api/visitors/late 200 "));
			assertThat(requestLines(output, "POST /api/visitors/stopped ")).singleElement()
				.satisfies((line) -> assertThat(line).contains("POST /api/visitors/stopped 408 "));
		});
	}

	private static List<String> requestLines(CapturedOutput output, String request) {
		return output.getOut().lines().filter((line) -> line.contains("\"message\":\"" + request)).toList();
	}

}
