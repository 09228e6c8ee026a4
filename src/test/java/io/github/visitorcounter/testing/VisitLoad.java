package io.github.visitorcounter.testing;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.awaitility.Awaitility.await;

/**
 * Concurrent {@code POST}s of visits, as many browsers would send them, that record every
 * answer (or failure) with its timing, for tests that break Redis or the application
 * under load. Each thread registers new visitors and, every fourth request, its previous
 * visitor again.
 */
public final class VisitLoad implements AutoCloseable {

	private final ApiClient api;

	private final String path;

	private final Duration pause;

	private final List<Thread> threads = new ArrayList<>();

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	private volatile boolean running = true;

	private VisitLoad(ApiClient api, String path, int threads, Duration pause) {
		this.api = api;
		this.path = path;
		this.pause = pause;
		for (int i = 0; i < threads; i++) {
			Thread thread = new Thread(this::run, "visit-load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	/**
	 * Starts {@code threads} clients that post visits to {@code path}, each pausing
	 * {@code pause} between requests, until {@link #stop()}.
	 */
	public static VisitLoad start(ApiClient api, String path, int threads, Duration pause) {
		return new VisitLoad(api, path, threads, pause);
	}

	private void run() {
		String previous = null;
		for (long i = 0; this.running; i++) {
			String visitor = (previous != null && i % 4 == 3) ? previous : UUID.randomUUID().toString();
			long started = System.nanoTime();
			try {
				HttpResponse<String> response = this.api.post(this.path, visit(visitor));
				this.outcomes.add(new Outcome(visitor, started, System.nanoTime(), response.statusCode(),
						response.headers().firstValue("Content-Type").orElse(null), response.body(), null));
			}
			catch (RuntimeException ex) {
				Throwable failure = (ex.getCause() != null) ? ex.getCause() : ex;
				this.outcomes.add(new Outcome(visitor, started, System.nanoTime(), 0, null, null, failure));
			}
			previous = visitor;
			sleep(this.pause);
		}
	}

	/** Stops the clients, waits for their last requests, and returns every outcome. */
	public List<Outcome> stop() {
		this.running = false;
		for (Thread thread : this.threads) {
			try {
				thread.join(Duration.ofSeconds(30).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return outcomes();
	}

	/** The outcomes so far. */
	public List<Outcome> outcomes() {
		return List.copyOf(this.outcomes);
	}

	/** How many outcomes so far match. */
	public long count(Predicate<Outcome> predicate) {
		return this.outcomes.stream().filter(predicate).count();
	}

	/** Waits until at least {@code count} outcomes match, for at most {@code timeout}. */
	public void awaitCount(long count, Predicate<Outcome> predicate, Duration timeout) {
		await().atMost(timeout).until(() -> count(predicate) >= count);
	}

	@Override
	public void close() {
		stop();
	}

	/** How many of the outcomes acknowledged a new visitor. */
	public static long newVisitorsAcknowledged(List<Outcome> outcomes) {
		return outcomes.stream().filter(Outcome::newVisitor).count();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One request.
	 *
	 * @param visitorId the visitor it registered
	 * @param startedNanos when it was sent ({@link System#nanoTime()})
	 * @param endedNanos when its answer or failure came
	 * @param status the HTTP status, or 0 when there was no response
	 * @param contentType the response's content type, or {@code null}
	 * @param body the response body, or {@code null}
	 * @param failure why there was no response, or {@code null}
	 */
	public record Outcome(String visitorId, long startedNanos, long endedNanos, int status, String contentType,
			String body, Throwable failure) {

		public Duration took() {
			return Duration.ofNanos(this.endedNanos - this.startedNanos);
		}

		public boolean ok() {
			return this.status == 200;
		}

		/** A 200 to a request sent after that time ({@link System#nanoTime()}). */
		public boolean okSentAfter(long nanos) {
			return ok() && this.startedNanos > nanos;
		}

		/** Whether the answer acknowledged a newly counted visitor. */
		public boolean newVisitor() {
			return ok() && this.body.contains("\"newVisitor\":true");
		}

		/** A 503 problem saying that Redis is unavailable, as the API documents it. */
		public boolean storageUnavailable() {
			return this.status == 503 && "application/problem+json".equals(this.contentType)
					&& this.body.contains("urn:visitor-counter:problem:storage-unavailable")
					&& !this.body.contains("Exception");
		}

		/** No response because nothing accepted the connection. */
		public boolean connectionRefused() {
			for (Throwable cause = this.failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof ConnectException) {
					return true;
				}
			}
			return false;
		}

		/**
		 * No response because the connection was closed before the first byte of one
		 * (Java's HTTP client says "header parser received no bytes"): not a truncated
		 * response, but the client cannot tell by itself whether the server read the
		 * request.
		 */
		public boolean closedBeforeResponse() {
			for (Throwable cause = this.failure; cause != null; cause = cause.getCause()) {
				if (cause.getMessage() != null && cause.getMessage().contains("received no bytes")) {
					return true;
				}
			}
			return false;
		}

		@Override
		public String toString() {
			return (this.failure != null) ? "failure " + this.failure + " after " + took().toMillis() + " ms"
					: this.status + " " + this.body + " after " + took().toMillis() + " ms";
		}

	}

}
