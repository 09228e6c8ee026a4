package io.github.visitorcounter.counter;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A visitor's 128-bit digest ({@link KeyedHasher}) and where it stands in a counter's
 * dedupe sets ({@link DedupeSets}): its first 64 bits are the integer stored for the
 * visitor, the next ones choose its bucket at each level.
 *
 * @param member the first 64 bits, the set member that stands for the visitor
 * @param bucketBits the next 64 bits, of which level {@code L} uses the top {@code 2L}
 */
record VisitorDigest(long member, long bucketBits) {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	static VisitorDigest of(byte[] digest) {
		ByteBuffer bytes = ByteBuffer.wrap(digest);
		return new VisitorDigest(bytes.getLong(), bytes.getLong());
	}

	/**
	 * The digest as the 22 characters of base64url that stand for the visitor in the
	 * day's HyperLogLog and in the dedupe keys of the layout before {@link DedupeSets}.
	 */
	String text() {
		return ENCODER.encodeToString(ByteBuffer.allocate(16).putLong(this.member).putLong(this.bucketBits).array());
	}

	/**
	 * The member as Redis stores it in an intset: a decimal string, as Lua's numbers
	 * (doubles) cannot hold 64 bits.
	 */
	String memberText() {
		return Long.toString(this.member);
	}

	/** The visitor's bucket at a level, 0 to {@code 4^level - 1}. */
	long bucket(int level) {
		return (level == 0) ? 0 : this.bucketBits >>> (Long.SIZE - 2 * level);
	}

}
