package io.github.visitorcounter.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every exchange the test clients ({@link ApiClient}, {@link EventStream}) had with an
 * application, kept until {@link DocumentedResponses} checks them against the OpenAPI
 * document after each test. Recording is all that happens while a test runs, so that the
 * check never slows a request a test is timing.
 */
public final class ApiExchanges {

	private static final ConcurrentLinkedQueue<Exchange> recorded = new ConcurrentLinkedQueue<>();

	private ApiExchanges() {
	}

	static void record(HttpRequest request, HttpResponse<?> response, String body) {
		// The app sends no Server header; a reverse proxy in front of it (the deploy/
		// recipes' tests) does, and adds and drops headers of its own: what the
		// document describes is the app's answer.
		if (response.headers().firstValue("Server").isPresent()) {
			return;
		}
		recorded.add(new Exchange(request.method(), request.uri().getRawPath(), response.statusCode(),
				response.headers().map(), body));
	}

	/**
	 * Records an exchange a test had over a socket of its own ({@link RawHttp}), for a
	 * request no HTTP client sends, such as a body that stops halfway.
	 */
	public static void record(String method, String path, RawHttp.Response response) {
		recorded.add(new Exchange(method, path, response.status(), response.headers(), response.body()));
	}

	/** The exchanges recorded since the last call, oldest first. */
	public static List<Exchange> drain() {
		List<Exchange> drained = new ArrayList<>();
		for (Exchange exchange = recorded.poll(); exchange != null; exchange = recorded.poll()) {
			drained.add(exchange);
		}
		return drained;
	}

	/**
	 * One request and its answer.
	 *
	 * @param method the request method
	 * @param path the request path, without the query
	 * @param status the response status
	 * @param headers the response headers
	 * @param body the response body, or {@code null} when it was not read (a stream)
	 */
	public record Exchange(String method, String path, int status, Map<String, List<String>> headers, String body) {

	}

}
