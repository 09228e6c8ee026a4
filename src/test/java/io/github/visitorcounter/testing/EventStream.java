package io.github.visitorcounter.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * A minimal {@code EventSource} for tests: reads a stream on a thread of its own and
 * records its events and comments.
 */
public final class EventStream implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private final HttpResponse<InputStream> response;

	private final Thread reader;

	private volatile boolean ended;

	private EventStream(HttpResponse<InputStream> response) {
		this.response = response;
		this.reader = new Thread(this::read, "event-stream-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	public static EventStream open(int port, String path, String... headers) {
		return open(http, URI.create("http://localhost:" + port + path), headers);
	}

	/**
	 * Opens a stream with a client of the caller's, such as one that trusts a test CA.
	 */
	public static EventStream open(HttpClient client, URI uri, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			HttpRequest built = request.build();
			HttpResponse<InputStream> response = client.send(built, BodyHandlers.ofInputStream());
			// The head only: the body is the stream itself.
			ApiExchanges.record(built, response, null);
			return new EventStream(response);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The events received so far, in order. */
	public List<Event> events() {
		return this.events;
	}

	/** The comment lines (heartbeats) received so far. */
	public List<String> comments() {
		return this.comments;
	}

	public int status() {
		return this.response.statusCode();
	}

	public HttpResponse<InputStream> response() {
		return this.response;
	}

	public boolean ended() {
		return this.ended;
	}

	public Event last() {
		return this.events.get(this.events.size() - 1);
	}

	public long lastCount() {
		return this.events.isEmpty() ? -1 : last().count();
	}

	/** Waits for an event carrying this count, and returns when it arrived. */
	public Event awaitCount(long count, Duration timeout) {
		await().atMost(timeout)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.events.stream().anyMatch((event) -> event.count() == count));
		return this.events.stream().filter((event) -> event.count() == count).findFirst().orElseThrow();
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			String id = null;
			String data = null;
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (line.isEmpty()) {
					if (data != null) {
						this.events.add(new Event(id, data, System.nanoTime()));
					}
					id = null;
					data = null;
				}
				else if (line.startsWith(":")) {
					this.comments.add(line.substring(1));
				}
				else if (line.startsWith("id:")) {
					id = line.substring(3).trim();
				}
				else if (line.startsWith("data:")) {
					data = line.substring(5).trim();
				}
			}
		}
		catch (IOException ex) {
			// Closed by the test.
		}
		finally {
			this.ended = true;
		}
	}

	@Override
	public void close() {
		try {
			this.response.body().close();
		}
		catch (IOException ex) {
			// Nothing to do.
		}
	}

	public record Event(String id, String data, long receivedNanos) {

		public long count() {
			return Long.parseLong(this.data.replaceAll(".*\"count\":(\\d+).*", "$1"));
		}

	}

}
