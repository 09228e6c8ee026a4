package io.github.visitorcounter.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line per request at debug level
 * ({@code logging.level.io.github.visitorcounter.web.RequestLogging=debug}): method,
 * path, status and duration. Never the body (visitor ids) or the client address.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestLogging extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(RequestLogging.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!logger.isDebugEnabled()) {
			chain.doFilter(request, response);
			return;
		}
		long started = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			logger.debug(request.getMethod() + " " + printable(request.getRequestURI()) + " " + response.getStatus()
					+ " " + (System.nanoTime() - started) / 1_000_000 + "ms");
		}
	}

	// The raw URI is still percent-encoded, but a log line must never carry a control
	// character.
	private static String printable(String uri) {
		return uri.replaceAll("[\\p{Cntrl}]", "?");
	}

}
