package io.github.visitorcounter.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that ask for a large answer and never read it hold no more request threads than
 * the places for large answers (4 here, of 12 threads): the others are refused at once,
 * and everyone else is answered as usual. The server's send buffers are made small, so
 * that a write to a client that does not read blocks as it would on a host short of
 * socket memory.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.max-large-answers=4", "visitors.max-large-answers-per-client=2",
				"server.tomcat.threads.max=12" })
@Import(LargeAnswersTests.SmallSendBuffers.class)
@ExtendWith(OutputCaptureExtension.class)
@WithoutLimits
class LargeAnswersTests extends ApiTestSupport {

	private static final String LARGE = "/swagger-ui/swagger-ui-bundle.js";

	private static final Duration FAST = Duration.ofSeconds(1);

	private final List<Socket> nonReaders = new ArrayList<>();

	@Autowired
	private LargeAnswers largeAnswers;

	@BeforeEach
	void generateTheOpenApiDocument() {
		// Generated at its first request, which takes longer than answering it.
		assertThat(this.api.get("/v3/api-docs").statusCode()).isEqualTo(200);
	}

	@AfterEach
	void closeNonReaders() {
		this.nonReaders.forEach(LargeAnswersTests::close);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.largeAnswers.places().taken() == 0);
	}

	@Test
	void clientsThatDoNotReadLargeAnswersHoldOnlyTheirPlaces() {
		List<String> statuses = new ArrayList<>();
		for (int i = 1; i <= 30; i++) {
			statuses.add(askWithoutReading("127.0.3." + i, LARGE));
		}
		assertThat(statuses).filteredOn((status) -> status.equals("200")).hasSize(4);
		assertThat(statuses).filteredOn((status) -> status.equals("503")).hasSize(26);
		for (int i = 0; i < 20; i++) {
			assertThat(answeredFast("/api/visitors").statusCode()).isEqualTo(200);
			assertThat(answeredFast("/api/visitors/default/stats?days=7").statusCode()).isEqualTo(200);
		}
		assertRefusedAsBusy(answeredFast("/v3/api-docs"));
		assertRefusedAsBusy(answeredFast("/api/visitors/default/stats?days=365"));
		assertRefusedAsBusy(answeredFast(LARGE));
	}

	@Test
	void clientsThatGoAwayMidAnswerLeaveNoStackTrace(CapturedOutput output) throws IOException {
		int before = output.length();
		for (int i = 1; i <= 4; i++) {
			assertThat(askWithoutReading("127.0.5." + i, LARGE)).isEqualTo("200");
		}
		for (Socket socket : this.nonReaders) {
			// Reset, not closed: the answer's next write fails at once.
			socket.setSoLinger(true, 0);
			socket.close();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.largeAnswers.places().taken() == 0);
		assertThat(output.toString().substring(before)).doesNotContain("\tat ")
			.doesNotContain("Unexpected error")
			.doesNotContain(" ERROR ");
	}

	@Test
	void oneClientHoldsAtMostItsShareOfThePlaces() {
		List<String> statuses = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			statuses.add(askWithoutReading("127.0.4.1", LARGE));
		}
		assertThat(statuses).containsExactly("200", "200", "503");
		HttpResponse<String> another = answeredFast("/v3/api-docs");
		assertThat(another.statusCode()).isEqualTo(200);
		assertThat(another.body()).startsWith("{").endsWith("}").hasSizeGreaterThan(LargeAnswers.LARGE);
	}

	@Test
	void answersAreWholeWhateverTheirSize() {
		HttpResponse<String> welcome = this.api.get("/");
		assertThat(welcome.statusCode()).isEqualTo(200);
		assertThat(welcome.body()).endsWith("</html>\n");
		assertThat(welcome.headers().firstValueAsLong("Content-Length"))
			.hasValue(welcome.body().getBytes(StandardCharsets.UTF_8).length);
		HttpResponse<String> script = this.api.get(LARGE);
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.headers().firstValueAsLong("Content-Length"))
			.hasValue(script.body().getBytes(StandardCharsets.UTF_8).length);
		HttpResponse<String> stats = this.api.get("/api/visitors/default/stats?days=365");
		assertThat(stats.statusCode()).isEqualTo(200);
		assertThat(stats.body()).hasSizeGreaterThan(LargeAnswers.LARGE).endsWith("]}");
		assertThat(this.largeAnswers.places().taken()).isZero();
	}

	private static void assertRefusedAsBusy(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(response.headers().firstValue("Last-Modified")).isEmpty();
		assertThat(response.body()).contains("\"type\":\"urn:visitor-counter:problem:server-busy\"")
			.contains("\"status\":503");
	}

	private HttpResponse<String> answeredFast(String path) {
		long started = System.nanoTime();
		HttpResponse<String> response = this.api.get(path);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as(path).isLessThan(FAST);
		return response;
	}

	/**
	 * Asks from an address with a small receive window, reads the status line only, and
	 * leaves the connection open.
	 * @return the status
	 */
	private String askWithoutReading(String address, String path) {
		try {
			Socket socket = new Socket();
			this.nonReaders.add(socket);
			socket.setReceiveBufferSize(4096);
			socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
			socket.connect(new InetSocketAddress("127.0.0.1", this.port));
			socket.setSoTimeout(5000);
			socket.getOutputStream()
				.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] statusLine = in.readNBytes(12);
			return new String(statusLine, StandardCharsets.US_ASCII).substring(9);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closed already.
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SmallSendBuffers {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSendBuffers() {
			return (factory) -> factory
				.addConnectorCustomizers((connector) -> connector.setProperty("socket.txBufSize", "4096"));
		}

	}

}
