package io.github.visitorcounter.web;

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
 * and failed most other requests. An answer that fits a socket's send buffer is written
 * at once whoever reads it, so only large ones need a place; the few a client can hold
 * are never the API's threads. An answer stays in Tomcat's response buffer, uncommitted,
 * until it is known to be small or has a place, so a refused one has sent nothing and the
 * refusal is a clean problem.
 * <p>
 * Answers still written after the request's thread returned (the owner's streamed lists,
 * a visit's answer once its body arrived) and those whose head is sent before any body (a
 * live stream, which then takes the connection over) pass through: streams have caps of
 * their own, those lists are written for the owner's token only, and a visit's answer is
 * small. A stream's events, written from another thread, may meet the request thread's
 * writes here: hence the locks.
 */
@Component
@Order(LargeAnswers.ORDER)
class LargeAnswers extends OncePerRequestFilter {

	/**
	 * Around every filter that may answer (CORS refuses an origin), inside the metrics'
	 * observation, which so sees a refusal's status.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

	/**
	 * Larger answers take a place: half what Linux gives a socket's send buffer at first.
	 */
	static final int LARGE = 8 * 1024;

	/** Tomcat's response buffer holds a small answer whole, uncommitted. */
	private static final int RESPONSE_BUFFER = 2 * LARGE;

	private static final String RETRY_AFTER_SECONDS = "1";

	private final AddressSlots places;

	LargeAnswers(SlowClientProperties properties) {
		this.places = new AddressSlots(properties.maxLargeAnswers(), properties.maxLargeAnswersPerClient());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (response.getBufferSize() < RESPONSE_BUFFER) {
			response.setBufferSize(RESPONSE_BUFFER);
		}
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
	 * A response whose body stays uncommitted up to {@link #LARGE} bytes; beyond that it
	 * takes a place and is written on, or, with none left, is refused and the rest
	 * dropped.
	 */
	private final class HeldAnswer extends HttpServletResponseWrapper {

		private enum State {

			HELD, WRITTEN_THROUGH, REFUSED

		}

		private final HttpServletRequest request;

		private State state = State.HELD;

		private int held;

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
		 * uncommitted until its size is known.
		 */
		@Override
		public synchronized void flushBuffer() throws IOException {
			if (this.state == State.HELD && (this.held == 0 || this.request.isAsyncStarted())) {
				this.state = State.WRITTEN_THROUGH;
			}
			if (this.state == State.WRITTEN_THROUGH) {
				super.flushBuffer();
			}
		}

		@Override
		public synchronized void resetBuffer() {
			this.held = 0;
			super.resetBuffer();
		}

		@Override
		public synchronized void reset() {
			this.held = 0;
			super.reset();
		}

		@Override
		public synchronized void sendError(int status) throws IOException {
			this.state = State.WRITTEN_THROUGH;
			super.sendError(status);
		}

		@Override
		public void sendError(int status, String message) throws IOException {
			sendError(status);
		}

		/** Answers the refusal, if it came to that, once the handler is done. */
		synchronized void finish() throws IOException {
			if (this.writer != null) {
				this.writer.flush();
			}
			if (this.state == State.REFUSED && !isCommitted()) {
				super.reset();
				setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
				ProblemType.SERVER_BUSY.decideFor(this.request);
				super.sendError(ProblemType.SERVER_BUSY.status().value());
			}
		}

		void releasePlace() {
			if (this.placeTaken) {
				this.placeTaken = false;
				LargeAnswers.this.places.release(this.request.getRemoteAddr());
			}
		}

		private synchronized void write(byte[] bytes, int offset, int length) throws IOException {
			if (this.state == State.HELD) {
				if (this.request.isAsyncStarted()) {
					this.state = State.WRITTEN_THROUGH;
				}
				else if (this.held + length > LARGE) {
					takePlaceOrRefuse();
				}
			}
			if (this.state == State.REFUSED) {
				// Dropped: the refusal is answered when the handler is done.
				return;
			}
			getResponse().getOutputStream().write(bytes, offset, length);
			if (this.state == State.HELD) {
				this.held += length;
			}
		}

		private void takePlaceOrRefuse() {
			if (LargeAnswers.this.places.tryTake(this.request.getRemoteAddr()) == AddressSlots.Outcome.TAKEN) {
				this.placeTaken = true;
				this.state = State.WRITTEN_THROUGH;
			}
			else {
				this.state = State.REFUSED;
				super.resetBuffer();
			}
		}

		private synchronized void flush() throws IOException {
			if (this.state == State.HELD && this.request.isAsyncStarted()) {
				this.state = State.WRITTEN_THROUGH;
			}
			if (this.state == State.WRITTEN_THROUGH) {
				getResponse().getOutputStream().flush();
			}
		}

		private synchronized void close() throws IOException {
			if (this.state != State.REFUSED) {
				this.state = State.WRITTEN_THROUGH;
				getResponse().getOutputStream().close();
			}
		}

		private ServletOutputStream outputStream() {
			try {
				return getResponse().getOutputStream();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
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

			/** Commits nothing while the answer's size is not known. */
			@Override
			public void flush() throws IOException {
				HeldAnswer.this.flush();
			}

			/** The answer is whole: a forward's response is closed so. */
			@Override
			public void close() throws IOException {
				HeldAnswer.this.close();
			}

			@Override
			public boolean isReady() {
				return outputStream().isReady();
			}

			@Override
			public void setWriteListener(WriteListener listener) {
				synchronized (HeldAnswer.this) {
					HeldAnswer.this.state = (HeldAnswer.this.state == State.HELD) ? State.WRITTEN_THROUGH
							: HeldAnswer.this.state;
				}
				outputStream().setWriteListener(listener);
			}

		}

	}

}
