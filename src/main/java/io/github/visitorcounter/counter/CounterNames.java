package io.github.visitorcounter.counter;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a counter may be called: short, lower-case, free of anything that means something
 * in a Redis key ({@code {}}, {@code :}, {@code *}) or in a URL path, and none of the
 * path segments that follow a counter name in the API.
 */
public final class CounterNames {

	/**
	 * Path segments of the API that a counter name would shadow:
	 * {@code /api/visitors/stats} is the default counter's stats, never a counter called
	 * {@code stats}.
	 */
	public static final List<String> RESERVED = List.of("stats", "stream", "badge.svg");

	/**
	 * 1-64 characters of {@code [a-z0-9._-]}, starting with a letter or digit, and not a
	 * reserved segment.
	 */
	public static final String PATTERN = "(?!(?:stats|stream|badge\\.svg)$)[a-z0-9][a-z0-9._-]{0,63}";

	public static final String MESSAGE = "must be 1-64 characters of [a-z0-9._-], starting with a letter or digit, "
			+ "and not stats, stream or badge.svg";

	/** The counter of the bare {@code /api/visitors} path. */
	public static final String DEFAULT = "default";

	private static final Pattern VALID = Pattern.compile(PATTERN);

	private CounterNames() {
	}

	public static boolean isValid(String name) {
		return VALID.matcher(name).matches();
	}

	/**
	 * The counter a route names, or {@link #DEFAULT} for the bare path.
	 * @param name the {@code {counter}} path segment, or {@code null} when absent
	 */
	public static String orDefault(String name) {
		return (name != null) ? name : DEFAULT;
	}

}
