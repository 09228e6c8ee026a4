package io.github.visitorcounter.web;

/**
 * Response headers of the visit API that clients may read.
 */
public final class VisitHeaders {

	/** Set when a visit was answered but not counted; its value says why. */
	public static final String VISIT_NOT_COUNTED = "Visit-Not-Counted";

	private VisitHeaders() {
	}

}
