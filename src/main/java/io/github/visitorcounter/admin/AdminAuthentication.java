package io.github.visitorcounter.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

import io.github.visitorcounter.counter.AdminFailuresScript;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemType;
import io.github.visitorcounter.web.RateLimitExceededException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Lets a request into the owner API only with
 * {@code Authorization: Bearer <VISITORS_ADMIN_TOKEN>}. The token is compared in constant
 * time, and each client address may fail only a few times per window (counted in Redis,
 * so across instances) before even the right token is refused for a while. Without a
 * token configured, {@link AdminConfiguration}'s filter answers the 404 of an unknown
 * path before a request gets here; were one to get here anyway, no token would match.
 */
class AdminAuthentication implements HandlerInterceptor {

	static final int FAILURES_ALLOWED = 10;

	/**
	 * Failures allowed across all addresses: a guess spread over many addresses is
	 * stopped too. The price: during such an attack even the owner waits.
	 */
	static final int FAILURES_ALLOWED_IN_ALL = 100;

	static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);

	private static final String CHALLENGE = "Bearer realm=\"visitor-counter\"";

	/** {@code null} when no token is configured: nothing equals it. */
	private final byte[] expectedDigest;

	private final AdminFailuresScript failures;

	AdminAuthentication(String adminToken, AdminFailuresScript failures) {
		this.expectedDigest = (adminToken != null) ? sha256(adminToken) : null;
		this.failures = failures;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
		// Comparing digests keeps the comparison constant-time whatever the length of the
		// guess.
		boolean valid = MessageDigest.isEqual(sha256(token), this.expectedDigest);
		Duration lockedOut = this.failures.lockedOutFor(Client.of(request).addressGroup(), !valid, FAILURES_ALLOWED,
				FAILURES_ALLOWED_IN_ALL, FAILURE_WINDOW);
		if (!lockedOut.isZero()) {
			throw new RateLimitExceededException(FAILURES_ALLOWED, lockedOut);
		}
		if (!valid) {
			throw new ProblemException(ProblemType.UNAUTHORIZED).withHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
		}
		return true;
	}

	/**
	 * The token of an {@code Authorization: Bearer <token>} header, or an empty string.
	 */
	static String bearerToken(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return "";
		}
		return authorization.substring(7).strip();
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
