package io.github.visitorcounter.web;

import org.springframework.http.HttpHeaders;

/**
 * An error a feature decided on, answered as the problem of its {@link ProblemType}, with
 * the headers that go with it. A client's doing, not the server's: no stack trace.
 */
public class ProblemException extends RuntimeException {

	private final ProblemType type;

	private final String detail;

	private final HttpHeaders headers = new HttpHeaders();

	public ProblemException(ProblemType type) {
		this(type, null);
	}

	/**
	 * @param detail what to tell the client instead of the type's usual detail;
	 * {@code null} for the usual one
	 */
	public ProblemException(ProblemType type, String detail) {
		super((detail != null) ? detail : type.detail(), null, false, false);
		this.type = type;
		this.detail = getMessage();
	}

	public ProblemException withHeader(String name, String value) {
		this.headers.set(name, value);
		return this;
	}

	ProblemType type() {
		return this.type;
	}

	String detail() {
		return this.detail;
	}

	HttpHeaders headers() {
		return this.headers;
	}

}
