package io.github.visitorcounter.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that failed a check made in code rather than by Bean Validation, answered the
 * same way: 400 {@code invalid-request}, naming each field and what is wrong with it.
 */
public class InvalidRequestException extends RuntimeException {

	private final Map<String, String> messagesByField;

	/**
	 * @param messagesByField what is wrong, by field name, in the order to report
	 */
	public InvalidRequestException(Map<String, String> messagesByField) {
		// A client error: no stack trace to fill in.
		super("Invalid " + String.join(", ", messagesByField.keySet()), null, false, false);
		this.messagesByField = Collections.unmodifiableMap(new LinkedHashMap<>(messagesByField));
	}

	Map<String, String> messagesByField() {
		return this.messagesByField;
	}

}
