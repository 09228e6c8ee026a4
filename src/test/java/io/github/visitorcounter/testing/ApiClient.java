package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Talks HTTP to an application on a random port, the way a browser or curl would.
 */
public class ApiClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private final String baseUrl;

	public ApiClient(int port) {
		this.baseUrl = "http://localhost:" + port;
	}

	public static String visit(String visitorId) {
		return "{\"visitorId\":\"" + visitorId + "\"}";
	}

	public HttpResponse<String> post(String path, String json, String... headers) {
		return post(path, BodyPublishers.ofString(json), headers);
	}

	public HttpResponse<String> post(String path, BodyPublisher body, String... headers) {
		return send(request(path, headers).header("Content-Type", "application/json").POST(body));
	}

	public HttpResponse<String> get(String path, String... headers) {
		return send(request(path, headers).GET());
	}

	/**
	 * Waits until the application reaches Redis again (its readiness includes Redis), as
	 * after a test restarted or thawed it.
	 */
	public void awaitStorageReachable() {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> get("/actuator/health/readiness").statusCode() == 200);
	}

	/**
	 * Sends the request, and records the exchange for {@link DocumentedResponses}, which
	 * checks it against the OpenAPI document after the test.
	 */
	public HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			HttpRequest built = request.build();
			HttpResponse<String> response = this.http.send(built, BodyHandlers.ofString());
			ApiExchanges.record(built, response, response.body());
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path)).timeout(TIMEOUT);
		return (headers.length > 0) ? request.headers(headers) : request;
	}

}
