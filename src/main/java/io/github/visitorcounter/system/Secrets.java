package io.github.visitorcounter.system;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The secrets an environment holds, and text with every one of them masked: the values of
 * settings named like a secret ({@code VISITORS_ADMIN_TOKEN}, {@code VISITORS_ID_SECRET},
 * any {@code *_PASSWORD}, an SSL bundle's {@code *_PRIVATE_KEY}), and the password of
 * every URL ({@code REDIS_URL}), in whichever form the setting was given.
 */
final class Secrets {

	static final String MASK = "******";

	/**
	 * Name endings of settings that hold a secret, compared without separators or case:
	 * {@code VISITORS_ADMIN_TOKEN}, {@code visitors.admin-token} and {@code adminToken}
	 * all end in {@code token}.
	 */
	private static final List<String> SECRET_ENDINGS = List.of("password", "passphrase", "secret", "token", "key",
			"credentials");

	/**
	 * Values shorter than this are masked only where they stand quoted, as messages quote
	 * a value they reject ({@code Value: "..."}, {@code rejected value [...]}), or in a
	 * URL: masked everywhere, a password such as {@code redis} would blank out ordinary
	 * words of the log.
	 */
	private static final int SHORTEST_MASKED_EVERYWHERE = 8;

	private static final List<String> QUOTES = List.of("\"\"", "''", "[]");

	/** The user information of a URL, {@code user:password@} or {@code token@}. */
	private static final Pattern URL_CREDENTIALS = Pattern
		.compile("(\\b[A-Za-z][A-Za-z0-9+.-]*://)([^\\s/?#@:\"'<>]*:)?([^\\s/?#\"'<>]*)@");

	private final Set<String> values;

	/** What to replace, longest first, so that no secret is half masked by another. */
	private final List<Mask> masks;

	private Secrets(Set<String> values) {
		this.values = values;
		this.masks = values.stream().<Mask>mapMulti((value, masks) -> {
			if (value.length() >= SHORTEST_MASKED_EVERYWHERE) {
				masks.accept(new Mask(value, MASK));
			}
			else {
				QUOTES.forEach((quotes) -> masks.accept(new Mask(quotes.charAt(0) + value + quotes.charAt(1),
						quotes.charAt(0) + MASK + quotes.charAt(1))));
			}
		}).sorted(Comparator.comparingInt((Mask mask) -> mask.secret().length()).reversed()).toList();
	}

	static Secrets none() {
		return new Secrets(Set.of());
	}

	/** The secrets in every enumerable property source of the environment. */
	static Secrets in(ConfigurableEnvironment environment) {
		Set<String> values = new TreeSet<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					if (enumerable.getProperty(name) instanceof CharSequence value && !value.isEmpty()) {
						collect(name, value.toString(), values);
					}
				}
			}
		}
		return new Secrets(values);
	}

	/** These secrets and those of {@code other}. */
	Secrets and(Secrets other) {
		Set<String> union = new TreeSet<>(this.values);
		union.addAll(other.values);
		return new Secrets(union);
	}

	/** Whether a setting of this name holds a secret. */
	static boolean isSecret(String name) {
		String plain = name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
		return SECRET_ENDINGS.stream().anyMatch(plain::endsWith);
	}

	/** The text with every URL password and every secret of this environment masked. */
	String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String redacted = maskUrlCredentials(text);
		for (Mask mask : this.masks) {
			if (redacted.contains(mask.secret())) {
				redacted = redacted.replace(mask.secret(), mask.replacement());
			}
		}
		return redacted;
	}

	private static void collect(String name, String value, Set<String> values) {
		if (isSecret(name)) {
			values.add(value);
			values.add(value.strip());
		}
		Matcher credentials = URL_CREDENTIALS.matcher(value);
		while (credentials.find()) {
			String password = credentials.group(3);
			if (!password.isEmpty()) {
				values.add(password);
				values.add(decoded(password));
			}
		}
	}

	private static String maskUrlCredentials(String text) {
		if (!text.contains("://")) {
			return text;
		}
		Matcher credentials = URL_CREDENTIALS.matcher(text);
		StringBuilder masked = new StringBuilder();
		while (credentials.find()) {
			String user = (credentials.group(2) != null) ? credentials.group(2) : "";
			credentials.appendReplacement(masked, Matcher.quoteReplacement(credentials.group(1) + user + MASK + "@"));
		}
		return credentials.appendTail(masked).toString();
	}

	private static String decoded(String text) {
		try {
			return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

	private record Mask(String secret, String replacement) {

	}

}
