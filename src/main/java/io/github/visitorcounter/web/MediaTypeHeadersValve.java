package io.github.visitorcounter.web;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.tomcat.util.http.MimeHeaders;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.MimeTypeUtils;

/**
 * Reads {@code Accept} and {@code Content-Type} once, strictly, on every route, and hands
 * on values that every reader in the application reads alike. Spring MVC, Spring Boot's
 * welcome page and the actuator each parse them, each differently: an empty element of
 * {@code Accept}, which HTTP allows (RFC 9110, 5.6.1), was nothing to the first and a 500
 * from the last; a {@code Content-Type} of {@code application/*} was a 500 wherever a
 * body is read. So the empty elements are dropped here; a range in {@code Accept} that is
 * no media type (or has a quality out of range, or names no charset) is a 406 problem,
 * and a {@code Content-Type} that is no single media type, or a {@code Content-Encoding},
 * a 415, on every route, as Spring MVC already answered most of them on the API.
 */
class MediaTypeHeadersValve extends RequestCheckValve {

	@Override
	int check(Request request) {
		MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
		for (Enumeration<String> values = headers.values(HttpHeaders.CONTENT_TYPE); values.hasMoreElements();) {
			if (!isMediaType(values.nextElement())) {
				return HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE;
			}
		}
		if (hasBody(request) && hasContentCoding(headers)) {
			// No body is decoded (RFC 9110, 15.5.16): a compressed one would be
			// read as it is, and brotli's bytes can be valid JSON.
			return HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE;
		}
		if (headers.findHeader(HttpHeaders.ACCEPT, 0) >= 0) {
			List<String> ranges = new ArrayList<>();
			boolean rewrite = headers.findHeader(HttpHeaders.ACCEPT,
					headers.findHeader(HttpHeaders.ACCEPT, 0) + 1) >= 0;
			for (Enumeration<String> values = headers.values(HttpHeaders.ACCEPT); values.hasMoreElements();) {
				for (String range : MimeTypeUtils.tokenize(values.nextElement())) {
					if (range.isBlank()) {
						rewrite = true;
					}
					else if (isMediaRange(range)) {
						ranges.add(range.strip());
					}
					else {
						return HttpServletResponse.SC_NOT_ACCEPTABLE;
					}
				}
			}
			// An empty list, too, which the actuator took for an empty media type.
			if (rewrite || ranges.isEmpty()) {
				headers.removeHeader(HttpHeaders.ACCEPT);
				if (!ranges.isEmpty()) {
					headers.addValue(HttpHeaders.ACCEPT).setString(String.join(", ", ranges));
				}
			}
		}
		return ACCEPTED;
	}

	/**
	 * By the headers as sent: a {@code Content-Length} that is no number is Tomcat's to
	 * refuse, after this valve (parsing it here threw).
	 */
	private static boolean hasBody(Request request) {
		String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
		return (length != null && !length.strip().equals("0"))
				|| request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
	}

	/**
	 * A coding other than {@code identity}; empty list elements are none (RFC 9110,
	 * 5.6.1).
	 */
	private static boolean hasContentCoding(MimeHeaders headers) {
		for (Enumeration<String> values = headers.values(HttpHeaders.CONTENT_ENCODING); values.hasMoreElements();) {
			for (String coding : values.nextElement().split(",")) {
				if (!coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean isMediaType(String value) {
		try {
			MediaType type = MediaType.parseMediaType(value);
			return !type.isWildcardType() && !type.isWildcardSubtype();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static boolean isMediaRange(String range) {
		try {
			MediaType.parseMediaType(range);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
