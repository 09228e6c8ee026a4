package io.github.visitorcounter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends bytes exactly as given, for requests no well-behaved HTTP client would send:
 * missing headers, bad framing, control characters, bodies that never finish.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Sends {@code request} and reads until the server closes the connection or
	 * {@code timeout} passes.
	 * @return the response; {@link Response#status()} is 0 when the server closed without
	 * answering
	 */
	public static Response exchange(int port, byte[] request, Duration timeout) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
			return exchange(socket, request, timeout);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends {@code request} on a socket the caller connected (from an address of its
	 * choosing, or over TLS), reads as {@link #exchange(int, byte[], Duration)} does, and
	 * closes the socket.
	 */
	public static Response exchange(Socket connected, byte[] request, Duration timeout) {
		try (Socket socket = connected) {
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			return read(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static Response exchange(int port, String request, Duration timeout) {
		return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
	}

	private static Response read(InputStream in) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		boolean timedOut = false;
		try {
			// One response is all we want: stop once it is complete, or at close.
			for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
				received.write(buffer, 0, n);
				if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
					break;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			timedOut = true;
		}
		catch (IOException ex) {
			// A reset after the server answered still leaves us its answer.
		}
		String text = received.toString(StandardCharsets.ISO_8859_1);
		int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
		return new Response(status, text, timedOut);
	}

	private static boolean complete(String text) {
		int headersEnd = text.indexOf("\r\n\r\n");
		if (headersEnd < 0) {
			return false;
		}
		String headers = text.substring(0, headersEnd).toLowerCase();
		int lengthAt = headers.indexOf("\r\ncontent-length: ");
		if (lengthAt >= 0) {
			int start = lengthAt + "\r\ncontent-length: ".length();
			int end = headers.indexOf("\r\n", start);
			int length = Integer.parseInt(headers.substring(start, (end < 0) ? headers.length() : end).strip());
			return text.length() - headersEnd - 4 >= length;
		}
		if (headers.contains("\r\ntransfer-encoding: chunked")) {
			return text.endsWith("0\r\n\r\n");
		}
		return false;
	}

	/**
	 * What came back.
	 *
	 * @param status the status code, or 0 when the connection closed without a response
	 * @param text the raw response
	 * @param timedOut whether the server neither answered completely nor closed in time
	 */
	public record Response(int status, String text, boolean timedOut) {

		/** The header fields, by lower-case name. */
		public Map<String, List<String>> headers() {
			Map<String, List<String>> headers = new TreeMap<>();
			String[] lines = this.text.split("\r\n");
			for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
				int colon = lines[i].indexOf(':');
				headers
					.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
							(name) -> new ArrayList<>())
					.add(lines[i].substring(colon + 1).strip());
			}
			return headers;
		}

		/** The body, without the framing of a chunked one. */
		public String body() {
			int headersEnd = this.text.indexOf("\r\n\r\n");
			if (headersEnd < 0) {
				return null;
			}
			String body = this.text.substring(headersEnd + 4);
			if (!headers().getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
				return body;
			}
			StringBuilder content = new StringBuilder();
			int at = 0;
			for (int size = chunkSize(body, at); size > 0; size = chunkSize(body, at)) {
				int start = body.indexOf("\r\n", at) + 2;
				content.append(body, start, start + size);
				at = start + size + 2;
			}
			return content.toString();
		}

		private static int chunkSize(String body, int at) {
			int end = body.indexOf("\r\n", at);
			return (end < 0) ? 0 : Integer.parseInt(body.substring(at, end).split(";")[0].strip(), 16);
		}

		public String header(String name) {
			for (String line : this.text.split("\r\n")) {
				if (line.isEmpty()) {
					break;
				}
				if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
					return line.substring(name.length() + 1).strip();
				}
			}
			return null;
		}

	}

}
