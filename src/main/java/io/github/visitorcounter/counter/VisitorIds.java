package io.github.visitorcounter.counter;

import java.util.regex.Pattern;

/**
 * What a visitor id may be: the UUID the embed script makes, or any other opaque token of
 * URL-safe characters, long enough not to collide by chance.
 */
public final class VisitorIds {

	/** 16-128 characters of {@code [A-Za-z0-9_-]}. */
	public static final String PATTERN = "[A-Za-z0-9_-]{16,128}";

	public static final String MESSAGE = "must be 16-128 characters of [A-Za-z0-9_-]";

	private static final Pattern VALID = Pattern.compile(PATTERN);

	private VisitorIds() {
	}

	public static boolean isValid(String id) {
		return VALID.matcher(id).matches();
	}

}
