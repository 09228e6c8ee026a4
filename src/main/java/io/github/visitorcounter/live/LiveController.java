package io.github.visitorcounter.live;

import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.visitor.CounterNames;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live counts as server-sent events: the current count at once, then each change. The
 * count is the event id, so a reconnecting {@code EventSource} that already shows it is
 * not sent it again.
 */
@RestController
@Tag(name = "visitors")
@RequestMapping("/api/visitors")
class LiveController {

	private final ChangeFeed changeFeed;

	LiveController(ChangeFeed changeFeed) {
		this.changeFeed = changeFeed;
	}

	@Operation(summary = "Follow a count live",
			description = "Server-sent events: the current count at once, then each change (coalesced to at most "
					+ "one event per 250 ms); the event id is the count, so `Last-Event-ID` resumes. A comment line "
					+ "every 15 s. The bare path is the counter `default`.")
	@ApiResponse(responseCode = "200", description = "The event stream",
			content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "429",
			description = "Too many streams from this address "
					+ "(`urn:visitor-counter:problem:too-many-client-streams`)")
	@ApiResponse(responseCode = "503",
			description = "Too many streams on this instance, or shutting down "
					+ "(`urn:visitor-counter:problem:too-many-streams`)")
	@GetMapping({ "/stream", "/{counter}/stream" })
	ResponseEntity<SseEmitter> stream(
			@PathVariable(required = false) @Pattern(regexp = CounterNames.PATTERN,
					message = CounterNames.MESSAGE) String counter,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId, HttpServletRequest request) {
		SseEmitter emitter = this.changeFeed.open((counter != null) ? counter : CounterNames.DEFAULT,
				Client.of(request).address(), parse(lastEventId));
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			// Tells nginx not to buffer the stream.
			.header("X-Accel-Buffering", "no")
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.body(emitter);
	}

	@ExceptionHandler(StreamLimitException.class)
	ResponseEntity<ProblemDetail> handleStreamLimit(StreamLimitException ex) {
		return ex.toResponse();
	}

	private static long parse(String lastEventId) {
		if (lastEventId != null && lastEventId.matches("\\d{1,18}")) {
			return Long.parseLong(lastEventId);
		}
		return -1;
	}

}
