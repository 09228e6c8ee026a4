package io.github.visitorcounter.counter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;

/**
 * Turns the path a client sends into the one form that stands for its page, so that
 * equivalent URLs count as one page (docs/pages.md has the table):
 * <ul>
 * <li>the URL path only: it begins with {@code /}; a scheme, host, query or fragment is
 * refused, not stripped, so that a client that sends a whole URL learns of it</li>
 * <li>percent-encoding made canonical: unreserved characters
 * ({@code A-Z a-z 0-9 - . _ ~}) decoded, every other encoded byte in upper-case hex, and
 * characters a path may not hold raw (a space, non-ASCII) encoded as UTF-8; an encoded
 * reserved character such as {@code %2F} stays encoded, as it means something else than
 * {@code /}</li>
 * <li>dot segments resolved (RFC 3986, 5.2.4), a trailing {@code /index.html} and a
 * trailing slash folded ({@code /} stays {@code /}), case kept</li>
 * </ul>
 * Refused: a malformed percent-encoding, bytes that are not UTF-8, control characters
 * (raw or percent-encoded), and a normalised path over {@value #MAX_BYTES} bytes.
 */
public final class PagePaths {

	/** The most bytes a normalised path has. */
	public static final int MAX_BYTES = 512;

	/**
	 * The most characters a path may have as sent: a bound on the work, well above what
	 * normalises to {@value #MAX_BYTES} bytes.
	 */
	static final int MAX_INPUT_LENGTH = 4 * MAX_BYTES;

	private static final String INDEX = "/index.html";

	private static final BitSet UNRESERVED = characters(
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

	/** What a path holds raw besides unreserved characters: sub-delims, ':', '@', '/'. */
	private static final BitSet RAW = characters("!$&'()*+,;=:@/");

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private PagePaths() {
	}

	/**
	 * The normalised form of a path.
	 * @throws InvalidPagePathException saying what is wrong with it
	 */
	public static String normalise(String path) {
		if (path == null || path.isEmpty()) {
			throw new InvalidPagePathException("is required");
		}
		if (path.length() > MAX_INPUT_LENGTH) {
			throw new InvalidPagePathException("must not exceed " + MAX_INPUT_LENGTH + " characters");
		}
		if (path.charAt(0) != '/' || path.startsWith("//")) {
			throw new InvalidPagePathException("must be a URL path beginning with a single /, without scheme or host");
		}
		if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
			throw new InvalidPagePathException("must be the URL path only, without query or fragment");
		}
		String encoded = canonicalEncoding(path);
		String normalised = foldTrailing(removeDotSegments(encoded));
		if (normalised.startsWith("//")) {
			// "/.//host/a" resolves to "//host/a": a path no request line and no location
			// has, read as a host by URL parsers, and refused when sent as it is.
			throw new InvalidPagePathException("must not resolve to a path beginning with //");
		}
		if (normalised.length() > MAX_BYTES) {
			throw new InvalidPagePathException("must not exceed " + MAX_BYTES + " bytes once normalised");
		}
		return normalised;
	}

	/**
	 * The path with every byte in its one form: unreserved characters and those a path
	 * holds raw as they are, every other byte percent-encoded in upper case.
	 */
	private static String canonicalEncoding(String path) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
		// Which of the bytes arrived percent-encoded: an encoded reserved character
		// stays encoded.
		BitSet encoded = new BitSet();
		int index = 0;
		while (index < path.length()) {
			char character = path.charAt(index);
			if (character == '%') {
				int high = (index + 2 < path.length()) ? hexValue(path.charAt(index + 1)) : -1;
				int low = (index + 2 < path.length()) ? hexValue(path.charAt(index + 2)) : -1;
				if (high < 0 || low < 0) {
					throw new InvalidPagePathException("has a % not followed by two hex digits");
				}
				encoded.set(bytes.size());
				bytes.write(high * 16 + low);
				index += 3;
			}
			else if (character < 0x80) {
				bytes.write(character);
				index++;
			}
			else {
				int codePoint = path.codePointAt(index);
				if (Character.isSurrogate((char) codePoint)) {
					throw new InvalidPagePathException("must be valid UTF-8");
				}
				bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
				index += Character.charCount(codePoint);
			}
		}
		byte[] raw = bytes.toByteArray();
		requireTextWithoutControls(raw);
		StringBuilder canonical = new StringBuilder(raw.length * 3 / 2);
		for (int i = 0; i < raw.length; i++) {
			int value = raw[i] & 0xff;
			if (UNRESERVED.get(value) || (RAW.get(value) && !encoded.get(i))) {
				canonical.append((char) value);
			}
			else {
				canonical.append('%').append(HEX[value >> 4]).append(HEX[value & 0xf]);
			}
		}
		return canonical.toString();
	}

	/** A hex digit's value, -1 for anything else (other scripts' digits included). */
	private static int hexValue(char character) {
		if (character >= '0' && character <= '9') {
			return character - '0';
		}
		char upper = (char) (character & ~0x20);
		return (upper >= 'A' && upper <= 'F') ? upper - 'A' + 10 : -1;
	}

	/**
	 * Refuses bytes that are not UTF-8, and control characters whether sent raw or
	 * percent-encoded: no page's path holds one, and a path is shown to people.
	 */
	private static void requireTextWithoutControls(byte[] bytes) {
		CharSequence text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
		}
		catch (CharacterCodingException ex) {
			throw new InvalidPagePathException("must percent-encode valid UTF-8 only");
		}
		if (text.codePoints().anyMatch(Character::isISOControl)) {
			throw new InvalidPagePathException("must not contain control characters, raw or percent-encoded");
		}
	}

	/**
	 * RFC 3986's remove_dot_segments for an absolute path: {@code .} goes, {@code ..}
	 * takes the segment before it with it, never above the root.
	 */
	private static String removeDotSegments(String path) {
		Deque<String> segments = new ArrayDeque<>();
		String[] parts = path.substring(1).split("/", -1);
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i];
			boolean last = i == parts.length - 1;
			if (part.equals(".") || part.equals("..")) {
				if (part.equals("..") && !segments.isEmpty()) {
					segments.removeLast();
				}
				if (last) {
					// "/a/." and "/a/b/.." name the directory: "/a/".
					segments.addLast("");
				}
			}
			else {
				segments.addLast(part);
			}
		}
		return "/" + String.join("/", segments);
	}

	private static String foldTrailing(String path) {
		String folded = path;
		while (true) {
			if (folded.endsWith(INDEX)) {
				folded = folded.substring(0, folded.length() - INDEX.length() + 1);
			}
			else if (folded.length() > 1 && folded.endsWith("/")) {
				folded = folded.substring(0, folded.length() - 1);
			}
			else {
				return folded;
			}
		}
	}

	private static BitSet characters(String characters) {
		BitSet set = new BitSet(128);
		characters.chars().forEach(set::set);
		return set;
	}

	/** A path that cannot be normalised; the message says why, for the client. */
	public static final class InvalidPagePathException extends IllegalArgumentException {

		InvalidPagePathException(String message) {
			// A client error: no stack trace to fill in.
			super(message, null);
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	}

}
