package io.github.visitorcounter.live;

import java.io.IOException;

import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.counter.CounterStore;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemResponses;
import io.github.visitorcounter.web.ProblemType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Live counts as server-sent events: the current count at once, then each change. The
 * count is the event id, so a reconnecting {@code EventSource} that already shows it is
 * not sent it again. Once the response head is sent, the connection leaves the request
 * for an {@link EventStreamConnection}: an open stream then holds only its socket.
 */
@RestController
@Tag(name = "visitors")
@RequestMapping("/api/visitors")
class LiveController {

	private final ChangeFeed changeFeed;

	private final CounterStore counterStore;

	LiveController(ChangeFeed changeFeed, CounterStore counterStore) {
		this.changeFeed = changeFeed;
		this.counterStore = counterStore;
	}

	@Operation(summary = "Follow a count live",
			description = "Server-sent events: the current count at once, then each change (coalesced to at most "
					+ "one event per 250 ms); the event id is the count, so `Last-Event-ID` resumes. A comment line "
					+ "every 15 s. 404 for a counter this deployment does not serve.")
	@ApiResponse(responseCode = "200", description = "The event stream",
			content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string")),
			headers = @Header(name = "X-Accel-Buffering", required = true,
					description = "tells a reverse proxy not to buffer the stream",
					schema = @Schema(type = "string", allowableValues = "no")))
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.NOT_ACCEPTABLE,
			ProblemType.TOO_MANY_CLIENT_STREAMS, ProblemType.TOO_MANY_STREAMS, ProblemType.STORAGE_UNAVAILABLE })
	@GetMapping(path = { "/stream", "/{counter}/stream" }, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	void followCount(@PathVariable(required = false) @CounterName String counter,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId, HttpServletRequest request,
			HttpServletResponse response) throws IOException, ServletException {
		String name = CounterNames.orDefault(counter);
		// Before a slot is taken or a channel subscribed.
		if (!this.counterStore.isServed(name)) {
			throw new ProblemException(ProblemType.UNKNOWN_COUNTER);
		}
		if (HttpMethod.HEAD.matches(request.getMethod())) {
			writeHead(response);
			return;
		}
		LiveStream stream = this.changeFeed.open(name, Client.of(request).addressGroup(), parse(lastEventId));
		try {
			writeHead(response);
			response.flushBuffer();
			// Hands the connection, response head sent, from the request to the stream.
			request.upgrade(EventStreamConnection.class).attach(stream);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			stream.close();
			throw ex;
		}
	}

	private static void writeHead(HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
		// Tells nginx not to buffer the stream.
		response.setHeader("X-Accel-Buffering", "no");
		// The body runs until the connection closes: no chunked encoding, whose framing
		// the upgraded connection would have to write.
		response.setHeader(HttpHeaders.CONNECTION, "close");
	}

	private static long parse(String lastEventId) {
		if (lastEventId != null && lastEventId.matches("\\d{1,18}")) {
			return Long.parseLong(lastEventId);
		}
		return -1;
	}

}
