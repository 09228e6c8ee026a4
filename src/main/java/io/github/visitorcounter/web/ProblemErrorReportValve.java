package io.github.visitorcounter.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own error responses (a request it cannot parse, a header too large, a bad
 * URI), and any other error answered without a body, in the same problem format as the
 * API's, instead of Tomcat's HTML page or nothing.
 */
class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		// Also an error status set without a body (Spring Boot's 406 for a welcome page
		// asked for as anything but HTML), not only one sent as an error.
		if (response.getStatus() < 400 || response.getContentWritten() > 0
				|| (response.isError() && !response.setErrorReported())) {
			return;
		}
		if (readWhilePaused(request)) {
			// Shutting down: Tomcat read this request line just before it paused, so
			// skipped the headers, and its 503 became a 400 for a missing Host. The
			// request was never taken: closed unanswered, for the client to send again.
			response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
			return;
		}
		if (response.getStatus() == HttpServletResponse.SC_NOT_IMPLEMENTED
				|| response.getStatus() == HttpServletResponse.SC_HTTP_VERSION_NOT_SUPPORTED) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		}
		int status = response.getStatus();
		AtomicBoolean writable = new AtomicBoolean(false);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
		if (!writable.get()) {
			return;
		}
		ProblemType type = ProblemType.of(request, status);
		String body = "{\"type\":\"" + type.problem().getType() + "\",\"title\":\"" + type.problem().getTitle()
				+ "\",\"status\":" + status + ",\"detail\":\"" + type.problem().getDetail().replace("\"", "\\\"")
				+ "\"}";
		try {
			response.getCoyoteResponse().setContentLength(-1);
			response.setContentType("application/problem+json");
			response.setHeader("Cache-Control", ProblemType.CACHE_CONTROL);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response is committed: nothing more to say.
		}
	}

	private static boolean readWhilePaused(Request request) {
		return request.getConnector().getProtocolHandler() instanceof AbstractProtocol<?> protocol
				&& protocol.isPaused() && request.getCoyoteRequest().getMimeHeaders().size() == 0;
	}

}
