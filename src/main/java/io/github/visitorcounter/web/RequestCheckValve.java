package io.github.visitorcounter.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

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
