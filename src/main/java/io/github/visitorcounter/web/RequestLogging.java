package io.github.visitorcounter.web;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
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
			if (request.isAsyncStarted()) {
				// Answered later (a body still arriving, a stream): logged when it is.
				request.getAsyncContext().addListener(new LogWhenComplete(request, response, started));
			}
			else {
				log(request, response, started);
			}
		}
	}

	private static void log(HttpServletRequest request, HttpServletResponse response, long started) {
		logger.debug(request.getMethod() + " " + printable(request.getRequestURI()) + " " + response.getStatus() + " "
				+ (System.nanoTime() - started) / 1_000_000 + "ms");
	}

	/**
	 * Logs an asynchronous request once it completes, however often it went async on the
	 * way (a body read, then a stream): each new start clears the listeners.
	 */
	private record LogWhenComplete(HttpServletRequest request, HttpServletResponse response,
			long started) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			log(this.request, this.response, this.started);
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

	}

	// The raw URI is still percent-encoded, but a log line must never carry a control
	// character.
	private static String printable(String uri) {
		return uri.replaceAll("[\\p{Cntrl}]", "?");
	}

}
