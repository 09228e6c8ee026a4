package io.github.visitorcounter.web;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a request body's bytes are JSON in UTF-8 (RFC 8259, 8.1), checked before a
 * parser sees them: Jackson decodes overlong forms ({@code C0 AF} as {@code /}) instead
 * of refusing them, and reads UTF-16 or UTF-32 it detects by their zero bytes, so a
 * body's text could mean other than its bytes say. A zero byte is never JSON in UTF-8:
 * not whitespace, and escaped inside strings.
 */
public final class Utf8Json {

	private Utf8Json() {
	}

	/** A small body held in memory (web/RequestBodyReader). */
	static boolean isUtf8Json(byte[] body) {
		for (byte value : body) {
			if (value == 0) {
				return false;
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	/**
	 * A large body spooled to a file (the owner's import), read in blocks:
	 * {@link Files#newBufferedReader(Path)} reports malformed input rather than replacing
	 * it.
	 */
	public static boolean isUtf8Json(Path file) throws IOException {
		char[] buffer = new char[8192];
		try (Reader reader = Files.newBufferedReader(file)) {
			for (int read = reader.read(buffer); read != -1; read = reader.read(buffer)) {
				for (int index = 0; index < read; index++) {
					if (buffer[index] == 0) {
						return false;
					}
				}
			}
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}
