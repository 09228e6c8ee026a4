package io.github.visitorcounter.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every request body, at most 4 KiB, before the application sees the request:
 * without holding a request thread while it arrives, and within a total time
 * ({@code visitors.request-read-timeout}). A blocking read would hold a thread for as
 * long as a client takes to send, and a few hundred clients sending a byte every few
 * seconds (no single read ever times out) would hold them all. A body already received
 * with its headers, as a visit's few dozen bytes are, is read at once on the request's
 * thread; any other is read by a servlet {@link ReadListener} as it arrives, and the
 * request continues in an async dispatch once it is complete. Too large: 413; too slow:
 * 408; both close the connection. At most {@code visitors.max-pending-bodies} are awaited
 * at once, as each holds its request's buffers: one more is a 408 at once.
 * <p>
 * Ordered last, so that every other filter (CORS above all) has already passed the
 * request on the first dispatch, which the async one does not repeat.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
// Also in slices of the application (@WebMvcTest), which take filters but no properties.
@EnableConfigurationProperties(SlowClientProperties.class)
class RequestBodyReader extends OncePerRequestFilter {

	static final int MAX_BODY_BYTES = 4096;

	private static final String BODY = RequestBodyReader.class.getName() + ".body";

	private final JsonMapper jsonMapper;

	private final long timeoutMillis;

	private final Map<String, LargeBodyRoute> largeBodyRoutes;

	private final AddressSlots pendingBodies;

	RequestBodyReader(JsonMapper jsonMapper, SlowClientProperties properties,
			ObjectProvider<LargeBodyRoute> largeBodyRoutes) {
		this.jsonMapper = jsonMapper;
		this.timeoutMillis = properties.requestReadTimeout().toMillis();
		this.largeBodyRoutes = largeBodyRoutes.orderedStream()
			.collect(Collectors.toMap(LargeBodyRoute::path, Function.identity()));
		this.pendingBodies = new AddressSlots(properties.maxPendingBodies(), properties.maxPendingBodiesPerClient());
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		// The dispatch this filter started carries the body it read.
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getAttribute(BODY) instanceof byte[] body) {
			request.removeAttribute(BODY);
			proceed(request, response, chain, body);
			return;
		}
		long declaredLength = request.getContentLengthLong();
		if (isAsyncDispatch(request) || (declaredLength <= 0 && request.getHeader("Transfer-Encoding") == null)) {
			chain.doFilter(request, response);
			return;
		}
		LargeBodyRoute large = this.largeBodyRoutes.get(request.getRequestURI());
		if (large != null) {
			if (declaredLength > large.maxBytes()) {
				answer(request, response, new PayloadTooLargeException(large.maxBytes()));
			}
			else {
				chain.doFilter(request, response);
			}
			return;
		}
		if (declaredLength > MAX_BODY_BYTES) {
			answer(request, response, new PayloadTooLargeException(MAX_BODY_BYTES));
			return;
		}
		Body body = new Body((int) declaredLength);
		ServletInputStream input = request.getInputStream();
		try {
			if (body.readArrived(input)) {
				proceed(request, response, chain, body.bytes());
				return;
			}
		}
		catch (IOException ex) {
			answer(request, response, ex);
			return;
		}
		// The client's address, also behind a trusted proxy (Tomcat reads it from there).
		String client = request.getRemoteAddr();
		if (this.pendingBodies.tryTake(client) != AddressSlots.Outcome.TAKEN) {
			answer(request, response, null);
			return;
		}
		AsyncContext async = request.startAsync(request, response);
		async.setTimeout(this.timeoutMillis);
		BodyListener listener = new BodyListener(async, input, body, client);
		async.addListener(listener);
		input.setReadListener(listener);
	}

	/**
	 * Passes the request on with its body read; a JSON body that is not UTF-8
	 * ({@link Utf8Json}) is answered here.
	 */
	private void proceed(HttpServletRequest request, HttpServletResponse response, FilterChain chain, byte[] body)
			throws ServletException, IOException {
		if (isJson(request) && !Utf8Json.isUtf8Json(body)) {
			write(request, response, ProblemType.MALFORMED_BODY.problem(ProblemType.BODY_NOT_UTF8));
			return;
		}
		chain.doFilter(new ReadBodyRequest(request, body), response);
	}

	private static boolean isJson(HttpServletRequest request) {
		try {
			MediaType type = MediaType.parseMediaType(request.getContentType());
			return type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
		}
		catch (IllegalArgumentException ex) {
			// No type, or none that parses: answered 415 further on.
			return false;
		}
	}

	private void answer(HttpServletRequest request, HttpServletResponse response, Exception failure) {
		ProblemType type = (failure instanceof PayloadTooLargeException) ? ProblemType.PAYLOAD_TOO_LARGE
				: ProblemType.ofUnreadableBody(failure);
		write(request, response, type.problem());
	}

	/**
	 * Answers a body that could not be read, and closes the connection: what is left of
	 * the body is not worth reading. Written directly, not through Spring MVC's error
	 * handling: when a thousand slow clients reach their deadline together, a thousand
	 * such answers go out at once.
	 */
	private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) {
		try {
			problem.setInstance(URI.create(request.getRequestURI()));
		}
		catch (IllegalArgumentException ex) {
			// Not a URI: answered without it.
		}
		try {
			byte[] body = this.jsonMapper.writeValueAsBytes(problem);
			response.setStatus(problem.getStatus());
			response.setHeader(HttpHeaders.CONNECTION, "close");
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setHeader(HttpHeaders.CACHE_CONTROL, ProblemType.CACHE_CONTROL);
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
			response.flushBuffer();
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone, or was answered: nothing more to say.
		}
	}

	/**
	 * The body as it arrives: exactly its declared length, or, chunked, up to the limit.
	 */
	private static final class Body {

		private final int declaredLength;

		private byte[] bytes;

		private int length;

		Body(int declaredLength) {
			this.declaredLength = declaredLength;
			this.bytes = new byte[(declaredLength >= 0) ? declaredLength : 512];
		}

		/**
		 * Reads what has arrived without waiting for more.
		 * @return whether that is the whole of a body of declared length
		 */
		boolean readArrived(ServletInputStream input) throws IOException {
			if (this.declaredLength < 0) {
				return false;
			}
			while (this.length < this.declaredLength && input.available() > 0) {
				int count = input.read(this.bytes, this.length, this.declaredLength - this.length);
				if (count == -1) {
					throw new EOFException();
				}
				this.length += count;
			}
			return this.length == this.declaredLength;
		}

		/** Reads what the input has ready, as a {@link ReadListener} may. */
		void readReady(ServletInputStream input) throws IOException {
			while (input.isReady()) {
				if (this.length == this.bytes.length) {
					if (this.length > MAX_BODY_BYTES) {
						throw new PayloadTooLargeException(MAX_BODY_BYTES);
					}
					this.bytes = Arrays.copyOf(this.bytes, Math.min(this.length * 2, MAX_BODY_BYTES + 1));
				}
				int count = input.read(this.bytes, this.length, this.bytes.length - this.length);
				if (count == -1) {
					return;
				}
				this.length += count;
			}
		}

		/**
		 * Drops what has arrived of a body too large to read, up to a limit, so that the
		 * client finds its answer rather than a reset connection.
		 */
		static void discardReady(ServletInputStream input) {
			byte[] discarded = new byte[4096];
			try {
				for (int total = 0; total < UnreadBodyValve.MAX_DISCARDED_BYTES && input.isReady();) {
					int count = input.read(discarded);
					if (count == -1) {
						return;
					}
					total += count;
				}
			}
			catch (IOException ex) {
				// Broken off: nothing more to drop.
			}
		}

		byte[] bytes() throws PayloadTooLargeException {
			if (this.length > MAX_BODY_BYTES) {
				throw new PayloadTooLargeException(MAX_BODY_BYTES);
			}
			return (this.length == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.length);
		}

	}

	/**
	 * Reads the rest of a body as it arrives, then continues the request in an async
	 * dispatch; or answers it, if it is too large, too slow or broken off. The container
	 * calls one method at a time.
	 */
	private final class BodyListener implements ReadListener, AsyncListener {

		private final AsyncContext async;

		private final ServletInputStream input;

		private final Body body;

		private boolean done;

		private final String client;

		private boolean released;

		BodyListener(AsyncContext async, ServletInputStream input, Body body, String client) {
			this.async = async;
			this.input = input;
			this.body = body;
			this.client = client;
		}

		@Override
		public void onDataAvailable() throws IOException {
			try {
				this.body.readReady(this.input);
			}
			catch (PayloadTooLargeException ex) {
				finish(ex);
			}
		}

		@Override
		public void onAllDataRead() throws IOException {
			if (this.done) {
				return;
			}
			try {
				byte[] bytes = this.body.bytes();
				this.done = true;
				release();
				this.async.getRequest().setAttribute(BODY, bytes);
				this.async.dispatch();
			}
			catch (PayloadTooLargeException ex) {
				finish(ex);
			}
		}

		@Override
		public void onError(Throwable failure) {
			finish((failure instanceof Exception ex) ? ex : new IOException(failure));
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			finish(null);
		}

		@Override
		public void onError(AsyncEvent event) {
			onError(event.getThrowable());
		}

		@Override
		public void onComplete(AsyncEvent event) {
			release();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

		/**
		 * @param failure why the body could not be read; {@code null} when it took too
		 * long
		 */
		private void finish(Exception failure) {
			if (this.done) {
				return;
			}
			this.done = true;
			release();
			if (failure instanceof PayloadTooLargeException) {
				Body.discardReady(this.input);
			}
			answer((HttpServletRequest) this.async.getRequest(), (HttpServletResponse) this.async.getResponse(),
					failure);
			this.async.complete();
		}

		/** Frees the body's place, once, however the wait for it ended. */
		private void release() {
			if (!this.released) {
				this.released = true;
				RequestBodyReader.this.pendingBodies.release(this.client);
			}
		}

	}

	/** The request with its body already read. */
	private static final class ReadBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		private ServletInputStream input;

		private BufferedReader reader;

		ReadBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			if (this.reader != null) {
				throw new IllegalStateException("getReader() has already been called");
			}
			if (this.input == null) {
				this.input = new BodyInputStream(this.body);
			}
			return this.input;
		}

		@Override
		public BufferedReader getReader() throws UnsupportedEncodingException {
			if (this.input != null) {
				throw new IllegalStateException("getInputStream() has already been called");
			}
			if (this.reader == null) {
				this.reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(this.body), charset()));
			}
			return this.reader;
		}

		private Charset charset() throws UnsupportedEncodingException {
			String encoding = getCharacterEncoding();
			if (encoding == null) {
				return StandardCharsets.ISO_8859_1;
			}
			try {
				return Charset.forName(encoding);
			}
			catch (IllegalArgumentException ex) {
				throw new UnsupportedEncodingException(encoding);
			}
		}

	}

	private static final class BodyInputStream extends ServletInputStream {

		private final ByteArrayInputStream bytes;

		BodyInputStream(byte[] body) {
			this.bytes = new ByteArrayInputStream(body);
		}

		@Override
		public int read() {
			return this.bytes.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			return this.bytes.read(buffer, offset, length);
		}

		@Override
		public int available() {
			return this.bytes.available();
		}

		@Override
		public boolean isFinished() {
			return this.bytes.available() == 0;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new IllegalStateException("The body has already been read");
		}

	}

}
