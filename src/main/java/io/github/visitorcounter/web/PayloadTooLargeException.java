package io.github.visitorcounter.web;

import java.io.IOException;

/**
 * A request body over the limit. An {@link IOException} so it can surface from a body
 * stream being read.
 */
public class PayloadTooLargeException extends IOException {

	public PayloadTooLargeException(long limit) {
		super("Request body is larger than " + limit + " bytes");
	}

}
