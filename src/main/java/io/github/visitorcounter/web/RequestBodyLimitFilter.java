package io.github.visitorcounter.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses request bodies over 4 KiB with 413: a visit is a few dozen bytes, anything
 * larger is a mistake or an attack. A declared {@code Content-Length} is checked up
 * front; a chunked body is cut off while read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RequestBodyLimitFilter extends OncePerRequestFilter {

	static final int MAX_BODY_BYTES = 4096;

	private final HandlerExceptionResolver exceptionResolver;

	RequestBodyLimitFilter(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
		this.exceptionResolver = exceptionResolver;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declaredLength = request.getContentLengthLong();
		if (declaredLength > MAX_BODY_BYTES) {
			this.exceptionResolver.resolveException(request, response, null,
					new PayloadTooLargeException(MAX_BODY_BYTES));
			return;
		}
		chain.doFilter((declaredLength < 0) ? new LimitedBodyRequest(request) : request, response);
	}

	private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

		private ServletInputStream limited;

		LimitedBodyRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.limited == null) {
				this.limited = new LimitedInputStream(super.getInputStream());
			}
			return this.limited;
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private long read;

		LimitedInputStream(ServletInputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public int read() throws IOException {
			int next = this.delegate.read();
			if (next != -1) {
				count(1);
			}
			return next;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int count = this.delegate.read(buffer, offset, length);
			if (count > 0) {
				count(count);
			}
			return count;
		}

		private void count(int bytes) throws PayloadTooLargeException {
			this.read += bytes;
			if (this.read > MAX_BODY_BYTES) {
				throw new PayloadTooLargeException(MAX_BODY_BYTES);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
