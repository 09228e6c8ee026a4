package io.github.visitorcounter.web;

import java.io.IOException;
import java.io.OutputStream;

import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A JSON body written as it is produced, in a few KiB of heap however large, that the
 * OpenAPI document describes as the {@code T} it writes: the handler's return type says
 * what the response is, where a bare {@link StreamingResponseBody} would say nothing.
 *
 * @param <T> the type whose JSON form is written
 */
public final class StreamedJson<T> implements StreamingResponseBody {

	private final StreamingResponseBody body;

	public StreamedJson(StreamingResponseBody body) {
		this.body = body;
	}

	@Override
	public void writeTo(OutputStream out) throws IOException {
		this.body.writeTo(out);
	}

}
