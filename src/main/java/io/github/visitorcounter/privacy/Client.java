package io.github.visitorcounter.privacy;

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

	public static Client of(HttpServletRequest request) {
		return new Client(request.getRemoteAddr(), request.getHeader("User-Agent"),
				"1".equals(request.getHeader("DNT")), "1".equals(request.getHeader("Sec-GPC")));
	}

}
