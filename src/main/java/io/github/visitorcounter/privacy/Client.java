package io.github.visitorcounter.privacy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What a request says about the client that sent it.
 *
 * @param address the client address: the socket peer, or the address a trusted proxy
 * forwarded
 * @param userAgent the {@code User-Agent}, or {@code null}
 * @param doNotTrack whether it sent {@code DNT: 1}
 * @param globalPrivacyControl whether it sent {@code Sec-GPC: 1}
 */
public record Client(String address, String userAgent, boolean doNotTrack, boolean globalPrivacyControl) {

	/** An IPv6 subscriber is usually given a whole /64: its addresses are one client. */
	private static final int IPV6_GROUP_BYTES = 8;

	public static Client of(HttpServletRequest request) {
		return new Client(request.getRemoteAddr(), request.getHeader("User-Agent"),
				"1".equals(request.getHeader("DNT")), "1".equals(request.getHeader("Sec-GPC")));
	}

	/**
	 * The key per-address limits count under: an IPv4 address as it is, an IPv6 address
	 * as its /64 network (such as {@code 2001:db8:0:1:0:0:0:0/64}), so that one host
	 * cannot pass a limit by rotating through the addresses of its prefix. Anything that
	 * is not an IP literal is its own group.
	 */
	public String addressGroup() {
		byte[] bytes = IpRange.literalOrNull(this.address);
		if (bytes == null || bytes.length == 4) {
			return this.address;
		}
		try {
			byte[] network = Arrays.copyOf(Arrays.copyOf(bytes, IPV6_GROUP_BYTES), bytes.length);
			return InetAddress.getByAddress(network).getHostAddress() + "/64";
		}
		catch (UnknownHostException ex) {
			// Cannot happen: 16 bytes are an IPv6 address.
			throw new IllegalStateException(ex);
		}
	}

}
