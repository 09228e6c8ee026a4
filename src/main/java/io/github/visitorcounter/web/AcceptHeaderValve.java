package io.github.visitorcounter.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.http.MimeHeaders;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.MimeTypeUtils;

/**
 * Reads {@code Accept} once, strictly, on every route, and hands on a list that every
 * reader in the application reads alike. Spring MVC, Spring Boot's welcome page and the
 * actuator each parse the header themselves, each differently: an empty list element,
 * which HTTP allows (RFC 9110, 5.6.1), was nothing to the first and a 500 from the last.
 * So the empty elements are dropped here, and a range that is no media type (or has a
 * quality out of range, or names no charset) is a 406 problem on every route, as Spring
 * MVC already answered it on the API.
 */
class AcceptHeaderValve extends ValveBase {

	AcceptHeaderValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
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
						response.sendError(HttpServletResponse.SC_NOT_ACCEPTABLE);
						return;
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
		getNext().invoke(request, response);
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
