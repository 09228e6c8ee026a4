package io.github.visitorcounter.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.net.ApplicationBufferHandler;

/**
 * After a request whose body was not read (a refused origin, say), discards what of the
 * body has already arrived (up to 64 KiB; none of a chunked one), and closes the
 * connection if more is to come, instead of letting Tomcat wait for the rest to keep the
 * connection: that wait holds the request's thread for as long as the client takes to
 * send, and a client sending a byte every few seconds never lets it time out. The answer
 * says so ({@code Connection: close}) while it can: {@link LargeAnswers} keeps small ones
 * uncommitted until here.
 */
class UnreadBodyValve extends ValveBase {

	/**
	 * Read and dropped at most, as fast as the client sends it: enough for a client that
	 * sent a body and then reads the answer not to find its connection reset.
	 */
	static final int MAX_DISCARDED_BYTES = 64 * 1024;

	UnreadBodyValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
		if (request.isAsync()) {
			return;
		}
		org.apache.coyote.Request coyoteRequest = request.getCoyoteRequest();
		Discard discard = null;
		long discarded = 0;
		// A chunked body is not discarded at all: reading even what has arrived can wait,
		// on this thread, for the rest of a chunk's size line, which a client may trickle
		// for as long as it likes.
		boolean chunked = coyoteRequest.getMimeHeaders().getHeader("Transfer-Encoding") != null;
		while (!fullyRead(coyoteRequest)) {
			// TRUE: read what the socket holds, without waiting for more.
			coyoteRequest.action(ActionCode.AVAILABLE, Boolean.TRUE);
			if (chunked || coyoteRequest.getAvailable() <= 0 || discarded > MAX_DISCARDED_BYTES) {
				if (response.isCommitted()) {
					// Its end (a chunked answer's last chunk) before the connection is
					// closed, which would otherwise cut it off.
					response.finishResponse();
				}
				else {
					// Said, so that a client does not send its next request on a
					// connection it believes kept.
					response.setHeader("Connection", "close");
				}
				coyoteRequest.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
				return;
			}
			discard = (discard != null) ? discard : new Discard();
			int count = coyoteRequest.doRead(discard);
			if (count <= 0) {
				return;
			}
			discarded += count;
		}
	}

	private static boolean fullyRead(org.apache.coyote.Request coyoteRequest) {
		AtomicBoolean read = new AtomicBoolean(true);
		coyoteRequest.action(ActionCode.REQUEST_BODY_FULLY_READ, read);
		return read.get();
	}

	/** Takes the bytes Tomcat hands over, and drops them. */
	private static final class Discard implements ApplicationBufferHandler {

		private ByteBuffer buffer = ByteBuffer.allocate(0);

		@Override
		public void setByteBuffer(ByteBuffer buffer) {
			this.buffer = buffer;
		}

		@Override
		public ByteBuffer getByteBuffer() {
			return this.buffer;
		}

		@Override
		public void expand(int size) {
		}

	}

}
