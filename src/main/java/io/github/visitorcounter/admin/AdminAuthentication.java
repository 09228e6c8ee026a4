package io.github.visitorcounter.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.github.visitorcounter.ratelimit.RateLimitExceededException;
import io.github.visitorcounter.visitor.KeyedHasher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
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

	static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);

	/** {@code null} when no token is configured: nothing equals it. */
	private final byte[] expectedDigest;

	private final StringRedisTemplate redis;

	private final RedisScript<List<Long>> adminFailuresScript;

	private final KeyedHasher keyedHasher;

	private final String keyPrefix;

	private final String tokenPrefix = UUID.randomUUID().toString().substring(0, 8) + ":";

	private final AtomicLong attempts = new AtomicLong();

	AdminAuthentication(String adminToken, StringRedisTemplate redis, RedisScript<List<Long>> adminFailuresScript,
			KeyedHasher keyedHasher, String keyPrefix) {
		this.expectedDigest = (adminToken != null) ? sha256(adminToken) : null;
		this.redis = redis;
		this.adminFailuresScript = adminFailuresScript;
		this.keyedHasher = keyedHasher;
		this.keyPrefix = keyPrefix;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
		// Comparing digests keeps the comparison constant-time whatever the length of the
		// guess.
		boolean valid = MessageDigest.isEqual(sha256(token), this.expectedDigest);
		List<Long> verdict = this.redis.execute(this.adminFailuresScript, List.of(failureKey(request)),
				Integer.toString(FAILURES_ALLOWED), Long.toString(FAILURE_WINDOW.toMillis()), valid ? "0" : "1",
				this.tokenPrefix + this.attempts.incrementAndGet());
		if (verdict.get(0) == 0) {
			throw new RateLimitExceededException(FAILURES_ALLOWED, Duration.ofMillis(verdict.get(1)));
		}
		if (!valid) {
			throw new AdminAuthenticationException();
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

	private String failureKey(HttpServletRequest request) {
		return this.keyPrefix + ":admin-failures:{" + this.keyedHasher.digest(request.getRemoteAddr()) + "}";
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A missing or wrong token: 401 with a {@code WWW-Authenticate} challenge.
	 */
	static class AdminAuthenticationException extends ErrorResponseException {

		AdminAuthenticationException() {
			super(HttpStatus.UNAUTHORIZED, ProblemDetail.forStatus(HttpStatus.UNAUTHORIZED), null);
			getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"visitor-counter\"");
		}

	}

}
