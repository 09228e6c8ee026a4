package io.github.visitorcounter.badge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;

import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.counter.CounterStore;
import io.github.visitorcounter.counter.SharedReads;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.ratelimit.AddressLimits;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemResponses;
import io.github.visitorcounter.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The count as an SVG badge for READMEs. {@code no-cache} plus an {@code ETag} makes
 * image proxies such as GitHub's camo revalidate on every view and get a cheap 304 while
 * the count is unchanged (Spring answers a matching {@code If-None-Match} itself).
 */
@RestController
@Tag(name = "visitors")
@RequestMapping("/api/visitors")
class BadgeController {

	private static final MediaType SVG = MediaType.parseMediaType("image/svg+xml;charset=UTF-8");

	/** A strong validator: 24 hex digits of the SVG's SHA-256. */
	static final String ETAG = "\"[0-9a-f]{24}\"";

	/** Counts remembered at once for identical reads within a second. */
	static final int SHARED_COUNTS = 1_000;

	private final CounterStore counterStore;

	private final AddressLimits addressLimits;

	private final SharedReads<String, OptionalLong> sharedCounts;

	BadgeController(CounterStore counterStore, AddressLimits addressLimits) {
		this.counterStore = counterStore;
		this.addressLimits = addressLimits;
		// Only counters that exist: reads of made-up names cannot crowd out real ones.
		this.sharedCounts = new SharedReads<>(Duration.ofSeconds(1), SHARED_COUNTS,
				(count) -> count.isPresent() && count.getAsLong() > 0, Clock.systemUTC());
	}

	@Operation(summary = "The count as an SVG badge",
			description = "A shields-style badge; `Cache-Control: no-cache` with an `ETag`, so a matching "
					+ "`If-None-Match` is answered with 304; 404 for a counter this deployment does not serve.")
	@ApiResponse(responseCode = "200", description = "The badge",
			content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string")),
			headers = {
					@Header(name = HttpHeaders.CACHE_CONTROL, required = true,
							schema = @Schema(type = "string", allowableValues = "no-cache")),
					@Header(name = HttpHeaders.ETAG, required = true,
							schema = @Schema(type = "string", pattern = ETAG)) })
	@ApiResponse(responseCode = "304", description = "The badge is unchanged since the given ETag")
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.NOT_ACCEPTABLE,
			ProblemType.RATE_LIMITED, ProblemType.STORAGE_UNAVAILABLE })
	@GetMapping(path = { "/badge.svg", "/{counter}/badge.svg" }, produces = "image/svg+xml")
	ResponseEntity<String> readBadge(@PathVariable(required = false) @CounterName String counter,
			@RequestParam(defaultValue = "visitors") @Pattern(regexp = Badge.LABEL,
					message = "must be 1-40 printable characters") String label,
			@RequestParam(defaultValue = "blue") @Pattern(regexp = Badge.COLOUR,
					message = "must be a named colour or a 3- or 6-digit hex colour without #") String color,
			HttpServletRequest request) {
		this.addressLimits.chargeRead(Client.of(request));
		String name = CounterNames.orDefault(counter);
		long count = this.sharedCounts.get(name, () -> this.counterStore.servedCount(name))
			.orElseThrow(() -> new ProblemException(ProblemType.UNKNOWN_COUNTER));
		String svg = Badge.svg(label, color, count);
		return ResponseEntity.ok().cacheControl(CacheControl.noCache()).eTag(etag(svg)).contentType(SVG).body(svg);
	}

	private static String etag(String svg) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(svg.getBytes(StandardCharsets.UTF_8));
			return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
