package io.github.visitorcounter.badge;

import java.text.NumberFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A flat, shields.io-style badge: a grey label on the left, the count on a coloured field
 * on the right. Text widths are estimated from average Verdana 11px glyph widths, which
 * is what shields.io renders with; close enough for a badge, without font files.
 */
final class Badge {

	/** The colours that can be named; anything else is a 3- or 6-digit hex colour. */
	static final Map<String, String> NAMED_COLOURS = Map.of("brightgreen", "4c1", "green", "97ca00", "yellowgreen",
			"a4a61d", "yellow", "dfb317", "orange", "fe7d37", "red", "e05d44", "blue", "007ec6", "grey", "555",
			"lightgrey", "9f9f9f", "blueviolet", "8a2be2");

	static final String COLOUR = "brightgreen|green|yellowgreen|yellow|orange|red|blue|grey|lightgrey|blueviolet"
			+ "|[0-9a-fA-F]{3}|[0-9a-fA-F]{6}";

	/**
	 * Printable text of 1-40 characters (code points), bounded so that a badge stays a
	 * badge. Spelled to mean the same to Java and to JavaScript (ECMA 262, as the OpenAPI
	 * document's readers take it): where JavaScript sees an emoji as two surrogates, the
	 * second branch counts the pair as one, and Java, which sees one code point, takes
	 * the first.
	 */
	static final String LABEL = "(?:[^\\x00-\\x1F\\x7F\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]){1,40}";

	private static final int PADDING = 10;

	private Badge() {
	}

	static String svg(String label, String colour, long count) {
		String value = NumberFormat.getIntegerInstance(Locale.US).format(count);
		String fill = "#" + NAMED_COLOURS.getOrDefault(colour, colour);
		int labelWidth = textWidth(label) + PADDING;
		int valueWidth = textWidth(value) + PADDING;
		int width = labelWidth + valueWidth;
		String title = escape(label) + ": " + value;
		return """
				<svg xmlns="http://www.w3.org/2000/svg" width="%1$d" height="20" role="img" aria-label="%2$s">\
				<title>%2$s</title>\
				<linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\
				<stop offset="1" stop-opacity=".1"/></linearGradient>\
				<clipPath id="r"><rect width="%1$d" height="20" rx="3" fill="#fff"/></clipPath>\
				<g clip-path="url(#r)"><rect width="%3$d" height="20" fill="#555"/>\
				<rect x="%3$d" width="%4$d" height="20" fill="%5$s"/><rect width="%1$d" height="20" fill="url(#s)"/></g>\
				<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\
				<text x="%6$d" y="15" fill="#010101" fill-opacity=".3">%7$s</text><text x="%6$d" y="14">%7$s</text>\
				<text x="%8$d" y="15" fill="#010101" fill-opacity=".3">%9$s</text><text x="%8$d" y="14">%9$s</text></g>\
				</svg>
				"""
			.formatted(width, title, labelWidth, valueWidth, fill, labelWidth / 2, escape(label),
					labelWidth + valueWidth / 2, value);
	}

	static int textWidth(String text) {
		double width = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			width += (c == ' ' || c == ',' || c == '.' || c == 'i' || c == 'l' || c == 'j') ? 3.9
					: Character.isUpperCase(c) || c == 'm' || c == 'w' ? 9.2 : 7.0;
		}
		return (int) Math.ceil(width);
	}

	/**
	 * The label is user input that ends up inside SVG markup: escape all XML specials.
	 */
	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&apos;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
