package io.github.visitorcounter.visitor;

import java.util.regex.Pattern;

/**
 * What a counter may be called: short, lower-case, and free of anything that means
 * something in a Redis key ({@code {}}, {@code :}, {@code *}) or in a URL path.
 */
public final class CounterNames {

	/** 1-64 characters of {@code [a-z0-9._-]}, starting with a letter or digit. */
	public static final String PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";

	public static final String MESSAGE = "must be 1-64 characters of [a-z0-9._-], starting with a letter or digit";

	/** The counter of the bare {@code /api/visitors} path. */
	public static final String DEFAULT = "default";

	private static final Pattern VALID = Pattern.compile(PATTERN);

	private CounterNames() {
	}

	static boolean isValid(String name) {
		return VALID.matcher(name).matches();
	}

}
