package io.github.visitorcounter.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.net.ApplicationBufferHandler;

import org.springframework.http.HttpHeaders;

/**
 * Answers the first of the requests a client sent without waiting for the answers
 * (HTTP/1.1 pipelining), and closes the connection after it. A client that pipelines
 * requests and never reads the answers fills its connection's buffers, and then each
 * answer waits for room on a request thread, up to the write timeout, one request after
 * the other: a thousand such connections held every thread. No browser pipelines, nor do
 * the common HTTP clients; a client that does sends the rest again on a new connection.
 */
class PipelinedRequestsValve extends ValveBase {

	PipelinedRequestsValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if (pipelined(request.getCoyoteRequest())) {
			response.setHeader(HttpHeaders.CONNECTION, "close");
		}
		getNext().invoke(request, response);
	}

	/**
	 * Whether more has arrived on the connection than this request's body: the start of
	 * the next request. A chunked body's end is not known before it is read, so it counts
	 * as not pipelined.
	 */
	private static boolean pipelined(org.apache.coyote.Request request) {
		if (request.getMimeHeaders().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			return false;
		}
		long body;
		try {
			body = Math.max(request.getContentLengthLong(), 0);
		}
		catch (IllegalArgumentException ex) {
			// Not a number: refused later, and its connection closed.
			return false;
		}
		// What the connection's buffer holds beyond the headers, without reading more.
		return request.getInputBuffer() instanceof ApplicationBufferHandler buffer
				&& buffer.getByteBuffer().remaining() > body;
	}

}
