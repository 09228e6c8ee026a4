package io.github.visitorcounter.live;

import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemType;

import org.springframework.http.HttpHeaders;

/**
 * Refuses a stream beyond a cap, or while the instance shuts down.
 */
class StreamLimitException extends ProblemException {

	private static final String RETRY_AFTER_SECONDS = "10";

	/**
	 * @param detail what to tell the client, or {@code null} for the type's usual detail
	 */
	private StreamLimitException(ProblemType type, String detail) {
		super(type, detail);
		withHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
	}

	static StreamLimitException instanceFull() {
		return new StreamLimitException(ProblemType.TOO_MANY_STREAMS, null);
	}

	static StreamLimitException clientFull() {
		return new StreamLimitException(ProblemType.TOO_MANY_CLIENT_STREAMS, null);
	}

	static StreamLimitException shuttingDown() {
		return new StreamLimitException(ProblemType.TOO_MANY_STREAMS,
				"This server is shutting down. Try again shortly.");
	}

}
