package io.github.visitorcounter.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers larger than {@link #LARGE} bytes take one of a few places while they are
 * written, and are refused with a 503 {@link ProblemType#SERVER_BUSY} when none is left.
 * A client that asks for a large answer and never reads it holds a request thread until
 * the write times out: a thousand of them asking for Swagger UI's script held 225 threads
 * and slowed every other request to seconds. An answer that fits the socket's buffers is
 * written at once whoever reads it, so only large ones need a place; the few a client can
 * hold are never the API's threads. The answer is held back until its size is known, so a
 * refused one has sent nothing and the refusal is a clean problem.
 * <p>
 * Answers still written after the request's thread returned (the owner's streamed lists,
 * a visit's answer once its body arrived) and those whose head is sent before any body (a
 * live stream, which then takes the connection over) pass through: streams have caps of
 * their own, those lists are written for the owner's token only, and a visit's answer is
 * small. A stream's events, written from another thread, may meet the request thread's
 * writes here: hence the locks.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class LargeAnswers extends OncePerRequestFilter {

	/** Larger answers take a place: what a socket's send buffer holds at its smallest. */
	static final int LARGE = 8 * 1024;

	private static final String RETRY_AFTER_SECONDS = "1";

	private final AddressSlots places;

	LargeAnswers(SlowClientProperties properties) {
		this.places = new AddressSlots(properties.maxLargeAnswers(), properties.maxLargeAnswersPerClient());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HeldAnswer answer = new HeldAnswer(request, response);
		try {
			chain.doFilter(request, answer);
			answer.finish();
		}
		finally {
			answer.releasePlace();
		}
	}

	/** The places taken now, for tests that fill them. */
	AddressSlots places() {
		return this.places;
	}

	/**
	 * A response whose body is held back up to {@link #LARGE} bytes; beyond that it takes
	 * a place and is written through, or, with none left, is refused and the rest
	 * dropped.
	 */
	private final class HeldAnswer extends HttpServletResponseWrapper {

		private enum State {

			HELD, WRITTEN_THROUGH, REFUSED

		}

		private final HttpServletRequest request;

		private final ByteArrayOutputStream held = new ByteArrayOutputStream();

		private State state = State.HELD;

		private boolean placeTaken;

		private ServletOutputStream stream;

		private PrintWriter writer;

		HeldAnswer(HttpServletRequest request, HttpServletResponse response) {
			super(response);
			this.request = request;
		}

		@Override
		public ServletOutputStream getOutputStream() {
			if (this.stream == null) {
				this.stream = new HeldStream();
			}
			return this.stream;
		}

		@Override
		public PrintWriter getWriter() {
			if (this.writer == null) {
				this.writer = new PrintWriter(
						new OutputStreamWriter(getOutputStream(), Charset.forName(getCharacterEncoding())));
			}
			return this.writer;
		}

		/**
		 * Sends the head at once when no body is held yet: what a stream does before it
		 * takes the connection over ({@code LiveController}). A body already held stays
		 * held until its size is known.
		 */
		@Override
		public synchronized void flushBuffer() throws IOException {
			if (this.state == State.HELD && this.held.size() == 0) {
				this.state = State.WRITTEN_THROUGH;
			}
			if (writeThroughIfAsync()) {
				super.flushBuffer();
			}
		}

		@Override
		public void resetBuffer() {
			this.held.reset();
			super.resetBuffer();
		}

		@Override
		public void reset() {
			this.held.reset();
			super.reset();
		}

		@Override
		public void sendError(int status) throws IOException {
			this.held.reset();
			this.state = State.WRITTEN_THROUGH;
			super.sendError(status);
		}

		@Override
		public void sendError(int status, String message) throws IOException {
			sendError(status);
		}

		/** Writes what was held, or the refusal, once the handler is done. */
		synchronized void finish() throws IOException {
			if (this.writer != null) {
				this.writer.flush();
			}
			if (this.request.isAsyncStarted()) {
				writeThroughIfAsync();
			}
			else if (this.state == State.HELD && this.held.size() > 0) {
				getResponse().getOutputStream().write(this.held.toByteArray());
			}
			else if (this.state == State.REFUSED && !isCommitted()) {
				super.reset();
				setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
				ProblemType.SERVER_BUSY.decideFor(this.request);
				super.sendError(ProblemType.SERVER_BUSY.status().value());
			}
		}

		private synchronized void close() throws IOException {
			if (this.state == State.REFUSED) {
				return;
			}
			writeThrough();
			getResponse().getOutputStream().close();
		}

		void releasePlace() {
			if (this.placeTaken) {
				this.placeTaken = false;
				LargeAnswers.this.places.release(this.request.getRemoteAddr());
			}
		}

		private synchronized void write(byte[] bytes, int offset, int length) throws IOException {
			if (this.state == State.HELD && !writeThroughIfAsync() && this.held.size() + length > LARGE) {
				takePlaceOrRefuse();
			}
			switch (this.state) {
				case HELD -> this.held.write(bytes, offset, length);
				case WRITTEN_THROUGH -> getResponse().getOutputStream().write(bytes, offset, length);
				case REFUSED -> {
					// Dropped: the refusal is written when the handler is done.
				}
			}
		}

		private void takePlaceOrRefuse() throws IOException {
			if (LargeAnswers.this.places.tryTake(this.request.getRemoteAddr()) == AddressSlots.Outcome.TAKEN) {
				this.placeTaken = true;
				writeThrough();
			}
			else {
				this.held.reset();
				this.state = State.REFUSED;
			}
		}

		/**
		 * An answer that goes on after the request's thread returned is written as it
		 * comes: a stream's events must not wait.
		 * @return whether it is written through
		 */
		private synchronized boolean writeThroughIfAsync() throws IOException {
			if (this.state == State.HELD && this.request.isAsyncStarted()) {
				writeThrough();
			}
			return this.state == State.WRITTEN_THROUGH;
		}

		private void writeThrough() throws IOException {
			this.state = State.WRITTEN_THROUGH;
			if (this.held.size() > 0) {
				getResponse().getOutputStream().write(this.held.toByteArray());
				this.held.reset();
			}
		}

		private final class HeldStream extends ServletOutputStream {

			@Override
			public void write(int b) throws IOException {
				write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] bytes, int offset, int length) throws IOException {
				HeldAnswer.this.write(bytes, offset, length);
			}

			/**
			 * The answer is whole: what is held is written. After a forward (the welcome
			 * page) Tomcat closes the response so.
			 */
			@Override
			public void close() throws IOException {
				HeldAnswer.this.close();
			}

			@Override
			public void flush() throws IOException {
				if (writeThroughIfAsync()) {
					getResponse().getOutputStream().flush();
				}
			}

			@Override
			public boolean isReady() {
				return HeldAnswer.this.state != State.WRITTEN_THROUGH || outputStream().isReady();
			}

			@Override
			public void setWriteListener(WriteListener listener) {
				try {
					writeThroughIfAsync();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
				outputStream().setWriteListener(listener);
			}

			private ServletOutputStream outputStream() {
				try {
					return getResponse().getOutputStream();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}

		}

	}

}
