package io.github.visitorcounter.counter;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a visitor id or a client address into the digest that stands for it in Redis, so
 * neither is ever stored raw.
 * <p>
 * The digest is the HMAC-SHA256 of the value keyed by the configured secret, truncated to
 * 128 bits and base64url-encoded (22 characters): long enough that collisions never
 * matter for a counter, short enough to keep every dedupe key small, and keyed so that
 * nobody without the secret can hash every IPv4 address to reverse one.
 */
class KeyedHasher {

	private static final String ALGORITHM = "HmacSHA256";

	private static final int DIGEST_BYTES = 16;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final Mac prototype;

	KeyedHasher(String secret) {
		try {
			this.prototype = Mac.getInstance(ALGORITHM);
			this.prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	String digest(String value) {
		return ENCODER.encodeToString(digestBytes(value));
	}

	/** The digest as bytes: the first 128 bits of the HMAC. */
	byte[] digestBytes(String value) {
		return Arrays.copyOf(newMac().doFinal(value.getBytes(StandardCharsets.UTF_8)), DIGEST_BYTES);
	}

	// A Mac is not thread-safe; cloning the initialised prototype is cheaper than init
	// per call.
	private Mac newMac() {
		try {
			return (Mac) this.prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
