package io.github.visitorcounter.counter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of page path normalisation: every way of writing a page's URL counts as that
 * one page, and pages that differ never share a normalised path nor a digest.
 */
class PagePathsPropertyTests {

	/** Characters a segment may hold, as decoded text: '/' among them, sent as %2F. */
	private static final String SEGMENT_CHARACTERS = "abcXYZ019-._~!$&'()*+,;=:@/ %?#é€";

	private static final CounterKeys KEYS = new CounterKeys("visitors", new KeyedHasher("a secret for the tests"));

	@Property
	void equivalentWaysOfWritingAPathAreOnePage(@ForAll("segmentLists") List<String> segments, @ForAll long seed) {
		String canonical = PagePaths.normalise(encode(segments, new Random(0), false));
		Random random = new Random(seed);
		String variant = encode(segments, random, true);
		assertThat(PagePaths.normalise(variant)).as(variant).isEqualTo(canonical);
	}

	@Property
	void aNormalisedPathNormalisesToItself(@ForAll("segmentLists") List<String> segments, @ForAll long seed) {
		String normalised = PagePaths.normalise(encode(segments, new Random(seed), true));
		assertThat(PagePaths.normalise(normalised)).isEqualTo(normalised);
	}

	/**
	 * Whatever input is accepted, its page is accepted as sent, as the owner's import and
	 * reads send it back: no input normalises to something refused, or to another page.
	 */
	@Property(tries = 5000)
	void everyAcceptedPathsPageIsAcceptedAsItIs(@ForAll("rawPaths") String path) {
		String normalised;
		try {
			normalised = PagePaths.normalise(path);
		}
		catch (PagePaths.InvalidPagePathException ex) {
			return;
		}
		assertThat(PagePaths.normalise(normalised)).as(path).isEqualTo(normalised);
	}

	/**
	 * Any text of the pieces normalisation works on: slashes, dots, encodings,
	 * index.html.
	 */
	@Provide
	Arbitrary<String> rawPaths() {
		return Arbitraries
			.of("/", "/", ".", "..", "%2E", "%2e", "%2F", "%", "%25", "a", "b", "index.html", "é", " ", "%C3%A9", "~",
					"%7E", ";", "%00", "\\")
			.list()
			.ofMaxSize(10)
			.map((pieces) -> "/" + String.join("", pieces));
	}

	@Property
	void distinctPagesNeverShareANormalisedPathOrADigest(@ForAll("segmentLists") List<String> first,
			@ForAll("segmentLists") List<String> second, @ForAll long seed) {
		Assume.that(!first.equals(second));
		Random random = new Random(seed);
		String one = PagePaths.normalise(encode(first, random, true));
		String other = PagePaths.normalise(encode(second, random, true));
		assertThat(one).isNotEqualTo(other);
		assertThat(KEYS.pageDigest(one)).isNotEqualTo(KEYS.pageDigest(other));
	}

	/**
	 * A page as its decoded segments: none empty, none a dot segment, the last not
	 * {@code index.html}, so that each list is a page of its own.
	 */
	@Provide
	Arbitrary<List<String>> segmentLists() {
		Arbitrary<String> segment = Arbitraries.strings()
			.withChars(SEGMENT_CHARACTERS.toCharArray())
			.ofMinLength(1)
			.ofMaxLength(12)
			.filter((text) -> !text.equals(".") && !text.equals("..") && !text.equals("index.html"));
		return segment.list().ofMaxSize(6);
	}

	/**
	 * The segments as a URL path; with variation, a character that may stand raw or
	 * encoded stands either way, hex digits in either case, with dot segments and a
	 * trailing slash or index.html added.
	 */
	private static String encode(List<String> segments, Random random, boolean vary) {
		StringBuilder path = new StringBuilder();
		for (String segment : segments) {
			path.append('/');
			if (vary && random.nextInt(4) == 0) {
				path.append(random.nextBoolean() ? "./" : "x%2e/../");
			}
			segment.codePoints().forEach((codePoint) -> path.append(character(codePoint, random, vary)));
		}
		if (vary) {
			switch (random.nextInt(4)) {
				case 0 -> path.append('/');
				case 1 -> path.append("/index.html");
				case 2 -> path.append("/.");
				default -> {
				}
			}
		}
		return path.isEmpty() ? "/" : path.toString();
	}

	private static String character(int codePoint, Random random, boolean vary) {
		String text = new String(Character.toChars(codePoint));
		boolean unreserved = codePoint < 0x80
				&& (Character.isLetterOrDigit(codePoint) || "-._~".indexOf(codePoint) >= 0);
		boolean mustEncode = "/ %?#".indexOf(codePoint) >= 0;
		boolean rawNonAscii = codePoint >= 0x80;
		if (mustEncode || (unreserved && vary && random.nextBoolean())
				|| (rawNonAscii && (!vary || random.nextBoolean()))) {
			return percentEncoded(text, vary && random.nextBoolean());
		}
		return text;
	}

	private static String percentEncoded(String text, boolean lowerCase) {
		List<String> bytes = new ArrayList<>();
		for (byte value : text.getBytes(StandardCharsets.UTF_8)) {
			bytes.add(String.format("%%%02X", value & 0xff));
		}
		String encoded = String.join("", bytes);
		return lowerCase ? encoded.toLowerCase(Locale.ROOT) : encoded;
	}

}
