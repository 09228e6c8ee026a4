package io.github.visitorcounter.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.apache.tomcat.util.http.Parameters;

/**
 * Refuses, with 400, a request URI that is not well-formed percent-encoded UTF-8 or no
 * URI reference at all, or a query string Tomcat cannot decode into parameters (also a
 * value without a name, or too many parameters), on every route alike. Tomcat checks the
 * path itself, but not its path parameters ({@code /api/visitors;a=%zz}), which it strips
 * and Spring MVC decodes, and throws on; and it decodes the query only when something
 * first asks for a parameter, and then throws. Either was a 500 with a stack trace in the
 * log, or a parameter silently dropped, depending on who asked. Here both are checked up
 * front (the decoded query is kept).
 */
class MalformedUriValve extends RequestCheckValve {

	@Override
	int check(Request request) {
		MessageBytes uri = request.getCoyoteRequest().requestURI();
		if (!isWellEncoded(uri) || !isUriReference(uri)) {
			return HttpServletResponse.SC_BAD_REQUEST;
		}
		if (request.getQueryString() != null) {
			Parameters parameters = request.getCoyoteRequest().getParameters();
			parameters.setLimit(request.getConnector().getMaxParameterCount());
			try {
				parameters.handleQueryParameters();
			}
			catch (InvalidParameterException ex) {
				return HttpServletResponse.SC_BAD_REQUEST;
			}
		}
		return ACCEPTED;
	}

	/**
	 * Whether the raw URI reads as a URI reference, as Spring MVC reads it into a
	 * problem's {@code instance}: {@code //}, say, does not (a host should follow), and
	 * failed there, on the way to answering the request, with a 500.
	 */
	private static boolean isUriReference(MessageBytes uri) {
		if (uri.isNull()) {
			return true;
		}
		try {
			new URI(uri.toString());
			return true;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	/**
	 * Whether each {@code %} of the raw URI starts an escape of two hexadecimal digits,
	 * and the bytes they stand for, with the others, are UTF-8.
	 */
	static boolean isWellEncoded(MessageBytes uri) {
		if (uri.isNull()) {
			// A request line Tomcat could not parse: it answers that itself.
			return true;
		}
		if (uri.getType() != MessageBytes.T_BYTES) {
			byte[] bytes = uri.toString().getBytes(StandardCharsets.ISO_8859_1);
			return isWellEncoded(bytes, 0, bytes.length);
		}
		ByteChunk chunk = uri.getByteChunk();
		return isWellEncoded(chunk.getBuffer(), chunk.getStart(), chunk.getEnd());
	}

	private static boolean isWellEncoded(byte[] bytes, int start, int end) {
		if (isPlainAscii(bytes, start, end)) {
			return true;
		}
		byte[] decoded = new byte[end - start];
		int length = 0;
		for (int i = start; i < end; i++) {
			if (bytes[i] != '%') {
				decoded[length++] = bytes[i];
			}
			else if (i + 2 < end && HexFormat.isHexDigit(bytes[i + 1]) && HexFormat.isHexDigit(bytes[i + 2])) {
				decoded[length++] = (byte) ((HexFormat.fromHexDigit(bytes[i + 1]) << 4)
						| HexFormat.fromHexDigit(bytes[i + 2]));
				i += 2;
			}
			else {
				return false;
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(decoded, 0, length));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	/** Neither an escape nor a byte beyond ASCII: the common case, nothing to decode. */
	private static boolean isPlainAscii(byte[] bytes, int start, int end) {
		for (int i = start; i < end; i++) {
			if (bytes[i] == '%' || bytes[i] < 0) {
				return false;
			}
		}
		return true;
	}

}
