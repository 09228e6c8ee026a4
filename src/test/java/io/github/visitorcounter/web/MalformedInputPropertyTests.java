package io.github.visitorcounter.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.VisitorCounterApplication;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary bytes, raw or percent-encoded (well or badly), in the path, the query string
 * and header values of requests to every route the service serves, and plausible values
 * (media types with any parameter, any charset) in the headers that negotiate formats,
 * sent over a socket to the application behind a trusted proxy: never a 5xx, every error
 * a problem document, an error to a visit leaves Redis as it was, and at most one short
 * log line per request, without a stack trace.
 */
class MalformedInputPropertyTests {

	private static final String ADMIN_TOKEN = "property-test-admin-token";

	/** Every route, each with a method it answers; {@code {}} is where bytes go. */
	private static final List<String> ROUTES = List.of("GET /api/visitors{}", "POST /api/visitors{}",
			"GET /api/visitors/{}", "POST /api/visitors/{}", "GET /api/visitors/blog{}", "POST /api/visitors/blog{}",
			"GET /api/visitors/stats{}", "GET /api/visitors/{}/stats", "GET /api/visitors/blog/stats{}",
			"GET /api/visitors/badge.svg{}", "GET /api/visitors/{}/badge.svg", "GET /api/visitors/blog/badge.svg{}",
			"GET /api/visitors/stream{}", "GET /api/visitors/{}/stream", "GET /api/admin/counters{}",
			"PUT /api/admin/counters/{}", "DELETE /api/admin/counters/{}", "GET /api/admin/export{}",
			"POST /api/admin/import{}", "GET /actuator/health{}", "GET /actuator/health/readiness{}",
			"GET /actuator/info{}", "GET /actuator/prometheus{}", "GET /{}", "GET /index.html{}",
			"GET /visitor-counter.js{}", "GET /dashboard{}", "GET /swagger-ui.html{}", "GET /swagger-ui/index.html{}",
			"GET /v3/api-docs{}", "GET /v3/api-docs.yaml{}", "OPTIONS /api/visitors{}", "HEAD /api/visitors{}");

	private static final List<String> HEADERS = List.of("Accept", "Accept-Language", "Accept-Encoding", "Authorization",
			"Content-Type", "Cookie", "DNT", "Expect", "Forwarded", "Host", "If-Match", "If-Modified-Since",
			"If-None-Match", "If-Range", "If-Unmodified-Since", "Last-Event-ID", "Origin", "Range", "Referer",
			"Sec-GPC", "User-Agent", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Proto",
			"Access-Control-Request-Method", "Access-Control-Request-Headers");

	private static final List<String> NEGOTIATING_HEADERS = List.of("Accept", "Accept-Charset", "Accept-Encoding",
			"Accept-Language", "Content-Type", "Content-Encoding");

	private static final LogEvents log = new LogEvents();

	private static ConfigurableApplicationContext application;

	private static DirectRedis redis;

	private static int port;

	@BeforeContainer
	static void startTheApplication() {
		application = SpringApplication.run(VisitorCounterApplication.class, "--server.port=0",
				"--spring.data.redis.url=" + RedisServer.shared().url(), "--visitors.admin-token=" + ADMIN_TOKEN,
				"--visitors.allowed-origins=https://site.example", "--visitors.rate-limit.enabled=false",
				"--visitors.read-limit.enabled=false", "--visitors.new-visitor-cap.enabled=false",
				"--server.forward-headers-strategy=native");
		redis = new DirectRedis(RedisServer.shared());
		port = ((WebServerApplicationContext) application).getWebServer().getPort();
		// The first request initialises Spring MVC, and logs that it did.
		exchange("GET /api/visitors HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
			.getBytes(StandardCharsets.US_ASCII));
		log.start();
		((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
	}

	@AfterContainer
	static void stopTheApplication() {
		((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
		if (application != null) {
			application.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Property(tries = 400)
	void arbitraryBytesInThePath(@ForAll("routes") String route, @ForAll("bytes") byte[] bytes,
			@ForAll boolean authorized) {
		assertHandled(request(route, bytes, new byte[0], authorized, null, null));
	}

	@Property(tries = 400)
	void arbitraryBytesInTheQuery(@ForAll("routes") String route, @ForAll("bytes") byte[] bytes,
			@ForAll("parameters") String parameter, @ForAll boolean authorized) {
		byte[] query = concat(("?" + parameter + "=").getBytes(StandardCharsets.US_ASCII), bytes);
		assertHandled(request(route, new byte[0], query, authorized, null, null));
	}

	@Property(tries = 400)
	void arbitraryBytesInAHeader(@ForAll("routes") String route, @ForAll("headers") String header,
			@ForAll("bytes") byte[] value, @ForAll boolean authorized) {
		assertHandled(request(route, new byte[0], new byte[0], authorized, header, value));
	}

	@Property(tries = 400)
	void plausibleValuesInAHeaderThatNegotiates(@ForAll("routes") String route,
			@ForAll("negotiatingHeaders") String header, @ForAll("mediaTypes") String value,
			@ForAll boolean authorized) {
		assertHandled(request(route, new byte[0], new byte[0], authorized, header,
				value.getBytes(StandardCharsets.ISO_8859_1)));
	}

	@Provide
	Arbitrary<String> routes() {
		return Arbitraries.of(ROUTES);
	}

	@Provide
	Arbitrary<String> headers() {
		return Arbitraries.of(HEADERS);
	}

	@Provide
	Arbitrary<String> negotiatingHeaders() {
		return Arbitraries.of(NEGOTIATING_HEADERS);
	}

	/**
	 * Lists of media ranges (and the tokens of the other negotiating headers), each with
	 * any parameters: a quality, well-formed or not, any charset the JVM knows, or one it
	 * does not.
	 */
	@Provide
	Arbitrary<String> mediaTypes() {
		Arbitrary<String> range = Arbitraries.of("application/json", "application/*", "*/*", "text/plain",
				"application/problem+json", "image/svg+xml", "text/event-stream", "application/xml", "text/*",
				"application/vnd.spring-boot.actuator.v3+json", "application/openmetrics-text", "gzip", "identity",
				"en", "*", "utf-8", "");
		Arbitrary<String> parameter = Arbitraries.oneOf(
				Arbitraries.of(Charset.availableCharsets().keySet()).map((charset) -> ";charset=" + charset),
				Arbitraries.of(";q=0", ";q=0.5", ";q=1", ";q=1.5", ";q=-1", ";q=x", ";charset=", ";charset=\"utf-8\"",
						";charset=bogus", ";v=2", ";version=0.0.4", ";", "; ", ";=", ";a"));
		Arbitrary<String> mediaType = Combinators.combine(range, parameter.list().ofMaxSize(3))
			.as((type, parameters) -> type + String.join("", parameters));
		return mediaType.list().ofMinSize(1).ofMaxSize(3).map((types) -> String.join(", ", types));
	}

	@Provide
	Arbitrary<String> parameters() {
		return Arbitraries.of("days", "label", "color", "x", "days%zz", "%ff", "");
	}

	/**
	 * Raw bytes, percent-escapes of any byte, broken escapes, and the characters that
	 * matter to paths and queries, in any mix.
	 */
	@Provide
	Arbitrary<byte[]> bytes() {
		// CR and LF end the request line or the header: what follows is another request
		// or header, not bytes in this one (HostileInputTests frames requests wrongly).
		Arbitrary<byte[]> raw = Arbitraries.bytes()
			.filter((b) -> b != '\r' && b != '\n')
			.array(byte[].class)
			.ofMinSize(1)
			.ofMaxSize(3);
		Arbitrary<byte[]> escaped = Arbitraries.bytes()
			.map((b) -> ("%" + HexFormat.of().withUpperCase().toHexDigits(b)).getBytes(StandardCharsets.US_ASCII));
		Arbitrary<byte[]> broken = Arbitraries
			.of("%", "%z", "%zz", "%g0", "%0", "%%", "%u00e9", "%c3", "%c3%28", "%e2%82", "%ed%a0%80",
					"%f8%88%80%80%80", "%c0%af", "%00", "%0d%0a", "%2e%2e", "%2f", "%5c", "%25")
			.map((s) -> s.getBytes(StandardCharsets.US_ASCII));
		Arbitrary<byte[]> special = Arbitraries
			.of("/", "//", "..", ".", ";", ";a=b", "?", "#", "&", "=", "+", " ", "\t", "*", "{}", "[", "]", "|", "\\",
					"~", "é", "😀", "stats", "badge.svg", "stream", "blog")
			.map((s) -> s.getBytes(StandardCharsets.UTF_8));
		Arbitrary<byte[]> piece = Arbitraries.oneOf(raw, escaped, broken, special);
		return piece.list().ofMinSize(1).ofMaxSize(6).map((pieces) -> concat(pieces.toArray(byte[][]::new)));
	}

	private static byte[] request(String route, byte[] pathBytes, byte[] query, boolean authorized, String header,
			byte[] value) {
		String method = route.substring(0, route.indexOf(' '));
		String[] around = route.substring(method.length() + 1).split("\\{}", -1);
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes((method + " " + around[0]).getBytes(StandardCharsets.US_ASCII));
		request.writeBytes(pathBytes);
		request.writeBytes(around[1].getBytes(StandardCharsets.US_ASCII));
		request.writeBytes(query);
		request.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
		if (!"Host".equals(header)) {
			request.writeBytes("Host: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		String body = (method.equals("PUT")) ? "{\"count\":5}" : (method.equals("POST") && route.contains("import"))
				? "{\"counters\":{\"blog\":5}}" : "{\"visitorId\":\"" + UUID.randomUUID() + "\"}";
		StringBuilder head = new StringBuilder("User-Agent: property/1.0\r\nConnection: close\r\n");
		if (authorized) {
			head.append("Authorization: Bearer ").append(ADMIN_TOKEN).append("\r\n");
		}
		if (method.equals("POST") || method.equals("PUT")) {
			if (!"Content-Type".equals(header)) {
				head.append("Content-Type: application/json\r\n");
			}
			head.append("Content-Length: ").append(body.length()).append("\r\n");
		}
		request.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
		if (header != null) {
			request.writeBytes((header + ": ").getBytes(StandardCharsets.US_ASCII));
			request.writeBytes(value);
			request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		if (method.equals("POST") || method.equals("PUT")) {
			request.writeBytes(body.getBytes(StandardCharsets.US_ASCII));
		}
		return request.toByteArray();
	}

	private static void assertHandled(byte[] request) {
		String sent = new String(request, StandardCharsets.ISO_8859_1);
		log.clear();
		long keysBefore = redis.commands().dbsize();
		Answer answer = exchange(request);
		List<ILoggingEvent> events = log.events();
		if (sent.startsWith("POST /api/visitors") && answer.status() >= 400) {
			// A new visitor each time: had it been registered, its key would be new.
			assertThat(redis.commands().dbsize()).as("keys in Redis after %s%n%s", sent, answer.text())
				.isEqualTo(keysBefore);
		}
		assertThat(answer.timedOut()).as("answered in time: %s", sent).isFalse();
		if (answer.status() != 0) {
			assertThat(answer.status()).as("%s%n%s", sent, answer.text()).isLessThan(500);
			if (answer.status() >= 400) {
				assertThat(answer.header("Content-Type")).as("%s%n%s", sent, answer.text())
					.startsWith("application/problem+json");
				assertThat(answer.text()).as(sent).doesNotContain("Exception").doesNotContain("\tat ");
			}
		}
		assertThat(events).as("log lines for %s", sent).hasSizeLessThanOrEqualTo(1).allSatisfy((event) -> {
			assertThat(event.getThrowableProxy()).as("a stack trace for %s: %s", sent, event.getFormattedMessage())
				.isNull();
			assertThat(event.getFormattedMessage()).as(sent).hasSizeLessThan(300).doesNotContain("\n");
		});
	}

	/**
	 * Sends the request and reads the answer: its head, and its body unless it is an
	 * event stream, which would not end.
	 */
	private static Answer exchange(byte[] request) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
					received.write(buffer, 0, n);
					String text = received.toString(StandardCharsets.ISO_8859_1);
					if (text.contains("\r\n\r\n") && text.toLowerCase().contains("content-type: text/event-stream")) {
						break;
					}
				}
			}
			catch (SocketTimeoutException ex) {
				return new Answer(received.toString(StandardCharsets.ISO_8859_1), true);
			}
			catch (IOException ex) {
				// A reset after the answer still leaves the answer.
			}
			return new Answer(received.toString(StandardCharsets.ISO_8859_1), false);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream joined = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			joined.writeBytes(part);
		}
		return joined.toByteArray();
	}

	private record Answer(String text, boolean timedOut) {

		int status() {
			return (this.text.startsWith("HTTP/1.1 ") && this.text.length() >= 12)
					? Integer.parseInt(this.text.substring(9, 12)) : 0;
		}

		String header(String name) {
			for (String line : this.text.split("\r\n")) {
				if (line.isEmpty()) {
					break;
				}
				if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
					return line.substring(name.length() + 1).strip();
				}
			}
			return "";
		}

	}

	/** Every log event, from every logger, while a request is handled. */
	private static final class LogEvents extends AppenderBase<ILoggingEvent> {

		private final List<ILoggingEvent> events = new ArrayList<>();

		@Override
		protected synchronized void append(ILoggingEvent event) {
			this.events.add(event);
		}

		synchronized void clear() {
			this.events.clear();
		}

		synchronized List<ILoggingEvent> events() {
			return List.copyOf(this.events);
		}

	}

}
