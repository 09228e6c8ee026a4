package io.github.visitorcounter.live;

import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterNames;
import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
	@GetMapping({ "/stream", "/{counter}/stream" })
	ResponseEntity<SseEmitter> stream(@PathVariable(required = false) @CounterName String counter,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId, HttpServletRequest request) {
		SseEmitter emitter = this.changeFeed.open(CounterNames.orDefault(counter), Client.of(request).address(),
				parse(lastEventId));
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			// Tells nginx not to buffer the stream.
			.header("X-Accel-Buffering", "no")
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.body(emitter);
	}

	private static long parse(String lastEventId) {
		if (lastEventId != null && lastEventId.matches("\\d{1,18}")) {
			return Long.parseLong(lastEventId);
		}
		return -1;
	}

}
