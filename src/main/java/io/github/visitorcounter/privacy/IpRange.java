package io.github.visitorcounter.privacy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address or CIDR range, such as {@code 203.0.113.7},
 * {@code 203.0.113.0/24} or {@code 2001:db8::/32}. Parsing never resolves a host name.
 */
final class IpRange {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private final byte[] network;

	private final int prefixLength;

	private IpRange(byte[] network, int prefixLength) {
		this.network = network;
		this.prefixLength = prefixLength;
	}

	/**
	 * @throws IllegalArgumentException when {@code text} is not an address or CIDR range
	 */
	static IpRange parse(String text) {
		String trimmed = text.strip();
		int slash = trimmed.indexOf('/');
		byte[] address = literal((slash < 0) ? trimmed : trimmed.substring(0, slash));
		int bits = address.length * 8;
		int prefixLength = bits;
		if (slash >= 0) {
			String prefix = trimmed.substring(slash + 1);
			if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
				throw new IllegalArgumentException("Not a CIDR prefix length: " + prefix);
			}
			prefixLength = Integer.parseInt(prefix);
		}
		return new IpRange(address, prefixLength);
	}

	/**
	 * The address bytes of an IP literal, or {@code null} when {@code text} is not one.
	 */
	static byte[] literalOrNull(String text) {
		try {
			return literal(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static byte[] literal(String text) {
		boolean ipv4 = IPV4.matcher(text).matches();
		if (!ipv4 && !IPV6.matcher(text).matches()) {
			throw new IllegalArgumentException("Not an IP address: " + text);
		}
		try {
			// Only IP literals get here, so this never looks up a name.
			byte[] address = InetAddress.getByName(text).getAddress();
			if (ipv4 && address.length != 4) {
				throw new IllegalArgumentException("Not an IP address: " + text);
			}
			return address;
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Not an IP address: " + text, ex);
		}
	}

	boolean contains(byte[] address) {
		if (address == null || address.length != this.network.length) {
			return false;
		}
		int fullBytes = this.prefixLength / 8;
		for (int i = 0; i < fullBytes; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int remainingBits = this.prefixLength % 8;
		if (remainingBits == 0) {
			return true;
		}
		int mask = (0xFF << (8 - remainingBits)) & 0xFF;
		return (address[fullBytes] & mask) == (this.network[fullBytes] & mask);
	}

}
