package io.github.visitorcounter.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;

/**
 * Hides {@code Forwarded} and {@code X-Forwarded-*} from the application: Tomcat reads
 * them first, from trusted proxies only ({@code server.forward-headers-strategy=native}),
 * into the request's address, scheme, host and port. Read again by a library (springdoc's
 * redirects and server URLs), they were taken from anyone, and a malformed one (a port
 * that is no number) was a 500. Not installed with
 * {@code server.forward-headers-strategy=framework}, where Spring reads them instead.
 */
class ForwardedHeadersValve extends ValveBase {

	private static final String[] FORWARDED = { "Forwarded", "X-Forwarded-Host", "X-Forwarded-Port",
			"X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Forwarded-Ssl", "X-Forwarded-For" };

	ForwardedHeadersValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
		for (int i = headers.size() - 1; i >= 0; i--) {
			MessageBytes name = headers.getName(i);
			for (String forwarded : FORWARDED) {
				if (name.equalsIgnoreCase(forwarded)) {
					headers.removeHeader(i);
					break;
				}
			}
		}
		getNext().invoke(request, response);
	}

}
