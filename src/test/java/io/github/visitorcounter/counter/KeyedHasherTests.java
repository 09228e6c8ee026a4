package io.github.visitorcounter.counter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedHasherTests {

	private static final String VISITOR_ID = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	private final KeyedHasher hasher = new KeyedHasher("a-test-secret-0123456789");

	@Test
	void digestsToA128BitBase64UrlString() {
		assertThat(this.hasher.digest(VISITOR_ID)).matches("[A-Za-z0-9_-]{22}").doesNotContain(VISITOR_ID);
	}

	@Test
	void givesTheSameDigestForTheSameIdAndSecret() {
		assertThat(new KeyedHasher("a-test-secret-0123456789").digest(VISITOR_ID))
			.isEqualTo(this.hasher.digest(VISITOR_ID));
	}

	@Test
	void givesDifferentDigestsForDifferentIds() {
		assertThat(this.hasher.digest(VISITOR_ID)).isNotEqualTo(this.hasher.digest(VISITOR_ID.replace('a', 'b')));
	}

	@Test
	void givesDifferentDigestsForDifferentSecrets() {
		assertThat(new KeyedHasher("another-secret-0123456789").digest(VISITOR_ID))
			.isNotEqualTo(this.hasher.digest(VISITOR_ID));
	}

	@Test
	void matchesAKnownHmacSha256Vector() {
		// HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") starts
		// f7bc83f430538424b13298e6aa6fb143
		assertThat(new KeyedHasher("key").digest("The quick brown fox jumps over the lazy dog"))
			.isEqualTo("97yD9DBThCSxMpjmqm-xQw");
	}

}
