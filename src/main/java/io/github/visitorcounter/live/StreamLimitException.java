package io.github.visitorcounter.live;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Refuses a stream beyond a cap, with a problem document of its own type (answered by
 * {@link LiveController}).
 */
class StreamLimitException extends RuntimeException {

	private static final String RETRY_AFTER_SECONDS = "10";

	private final ProblemDetail problem;

	private StreamLimitException(HttpStatus status, String slug, String title, String detail) {
		super(detail);
		this.problem = ProblemDetail.forStatusAndDetail(status, detail);
		this.problem.setType(URI.create("urn:visitor-counter:problem:" + slug));
		this.problem.setTitle(title);
	}

	static StreamLimitException instanceFull() {
		return new StreamLimitException(HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams", "Too many streams",
				"This server has as many live streams open as it serves. Try again shortly.");
	}

	static StreamLimitException clientFull() {
		return new StreamLimitException(HttpStatus.TOO_MANY_REQUESTS, "too-many-client-streams",
				"Too many streams from this address",
				"This address has as many live streams open as it may. Close one, or retry later.");
	}

	static StreamLimitException shuttingDown() {
		return new StreamLimitException(HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams", "Too many streams",
				"This server is shutting down. Try again shortly.");
	}

	ResponseEntity<ProblemDetail> toResponse() {
		return ResponseEntity.status(this.problem.getStatus())
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(this.problem);
	}

}
