package io.github.visitorcounter.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * A valve that checks each request before anything of the application sees it, and
 * refuses it with an error status or passes it on. The error goes through Tomcat's error
 * handling, which answers it as a problem ({@link ProblemErrorReportValve}).
 */
abstract class RequestCheckValve extends ValveBase {

	/** Passes a request on. */
	static final int ACCEPTED = 0;

	RequestCheckValve() {
		super(true);
	}

	@Override
	public final void invoke(Request request, Response response) throws IOException, ServletException {
		int refusal = check(request);
		if (refusal != ACCEPTED) {
			if (refusal == HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE
					|| refusal == HttpServletResponse.SC_NOT_ACCEPTABLE) {
				// What the API takes and gives, as Spring MVC says in its 406 and 415.
				response.setHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
			}
			response.sendError(refusal);
			return;
		}
		getNext().invoke(request, response);
	}

	/**
	 * Checks a request, and may adjust what it carries for the readers after this valve.
	 * @return the status to refuse it with, or {@link #ACCEPTED}
	 */
	abstract int check(Request request);

}
