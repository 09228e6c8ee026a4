package io.github.visitorcounter.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends several requests without waiting for the answers gets the first
 * answered and the connection closed; one request at a time keeps its connection.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PipelinedRequestsTests extends ApiTestSupport {

	private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 \\d{3} ");

	private static final String GET = "GET /api/visitors HTTP/1.1\r\nHost: localhost\r\n\r\n";

	private static final String POST = "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test/1.0\r\n"
			+ "Content-Type: application/json\r\nContent-Length: 52\r\n\r\n"
			+ "{\"visitorId\":\"0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a\"}";

	@Test
	void answersTheFirstOfPipelinedRequestsAndClosesTheConnection() throws IOException {
		for (String first : new String[] { GET, POST }) {
			String received = sendAtOnceAndReadToTheEnd(first + GET + GET);
			assertThat(STATUS_LINE.matcher(received).results().count()).as(first).isOne();
			assertThat(received).as(first).startsWith("HTTP/1.1 200 ").contains("Connection: close");
		}
	}

	@Test
	void keepsTheConnectionOfRequestsSentOneAtATime() throws IOException {
		try (Socket socket = connect()) {
			for (int i = 0; i < 3; i++) {
				socket.getOutputStream().write(GET.getBytes(StandardCharsets.ISO_8859_1));
				String answer = readOneAnswer(socket.getInputStream());
				assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContain("Connection: close");
			}
		}
	}

	private String sendAtOnceAndReadToTheEnd(String requests) throws IOException {
		try (Socket socket = connect()) {
			socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			// Until the server closes: a read timeout fails the test.
			try {
				socket.getInputStream().transferTo(received);
			}
			catch (java.net.SocketTimeoutException ex) {
				throw new AssertionError("not closed after: " + received.toString(StandardCharsets.ISO_8859_1), ex);
			}
			return received.toString(StandardCharsets.ISO_8859_1);
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 2_000);
		socket.setSoTimeout(5_000);
		return socket;
	}

	/** One answer with a Content-Length, read exactly. */
	private static String readOneAnswer(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			head.append((char) in.read());
		}
		Pattern length = Pattern.compile("(?i)content-length: (\\d+)");
		var matcher = length.matcher(head);
		int bodyLength = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
		return head + new String(in.readNBytes(bodyLength), StandardCharsets.ISO_8859_1);
	}

}
