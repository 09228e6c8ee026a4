package io.github.visitorcounter.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * An ordinary client's GETs and POSTs while many slow clients trickle their requests:
 * run by {@code bench/slow-clients.sh}, which puts the test classes on the class path for
 * {@link SlowClients}, the driver {@code SlowClientTests} uses.
 * <p>
 * Arguments: port, mode ({@code body} or {@code headers}), slow clients, the app's
 * request read timeout in seconds, seconds to measure before the slow clients start.
 * Prints one {@code phase=...} line per phase ({@code before}; {@code trickling}, until
 * one second before the first slow request is due to be ended; {@code ending}, until all
 * have been ended or, if the server never ends them, the timeout plus 20 s) and one
 * {@code slow ...} line on how the slow requests ended.
 */
public final class SlowClientLoad {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration TRICKLE_INTERVAL = Duration.ofSeconds(2);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(REQUEST_TIMEOUT)
		.build();

	private final URI uri;

	private final List<Sample> samples = new ArrayList<>();

	private SlowClientLoad(int port) {
		this.uri = URI.create("http://127.0.0.1:" + port + "/api/visitors");
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		String mode = args[1];
		int count = Integer.parseInt(args[2]);
		long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
		long beforeNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
		String head = switch (mode) {
			case "body" -> "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow/1.0\r\n"
					+ "Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"visitorId\":\"";
			case "headers" -> "GET /api/visitors HTTP/1.1\r\nHost: localhost\r\n";
			default -> throw new IllegalArgumentException("mode: body or headers, not " + mode);
		};
		String trickle = mode.equals("body") ? "a" : "X-Slow: a\r\n";
		SlowClientLoad load = new SlowClientLoad(port);
		long started = System.nanoTime();
		load.ordinaryRequestsWhile(() -> System.nanoTime() - started < beforeNanos);
		int beforeCount = load.samples.size();
		try (SlowClients slow = SlowClients.start(InetAddress.getByName("127.0.0.2"), port, count, head, trickle,
				TRICKLE_INTERVAL)) {
			long connecting = System.nanoTime();
			while (slow.open() + slow.ended() < count && System.nanoTime() - connecting < TimeUnit.SECONDS.toNanos(30)) {
				Thread.sleep(50);
			}
			// None started (the server refused them all, or is down): measured from now.
			long firstStarted = (slow.open() > 0) ? slow.firstStartedAt() : System.nanoTime();
			long tricklingUntil = firstStarted + timeoutNanos - TimeUnit.SECONDS.toNanos(1);
			long giveUpAt = firstStarted + timeoutNanos + TimeUnit.SECONDS.toNanos(20);
			int openAtStart = slow.open();
			load.ordinaryRequestsWhile(() -> slow.ended() < count && System.nanoTime() < giveUpAt);
			List<Sample> during = load.samples.subList(beforeCount, load.samples.size());
			print("before", load.samples.subList(0, beforeCount));
			print("trickling", during.stream().filter((sample) -> sample.at() < tricklingUntil).toList());
			print("ending", during.stream().filter((sample) -> sample.at() >= tricklingUntil).toList());
			List<SlowClients.Ending> endings = slow.endings();
			long answered408 = endings.stream().filter((ending) -> ending.answer().startsWith("HTTP/1.1 408 ")).count();
			long otherAnswers = endings.stream()
				.filter((ending) -> ending.endedAt() > 0 && !ending.answer().isEmpty()
						&& !ending.answer().startsWith("HTTP/1.1 408 "))
				.count();
			double longest = endings.stream()
				.filter((ending) -> ending.endedAt() > 0)
				.mapToLong((ending) -> ending.endedAt() - ending.startedAt())
				.max()
				.orElse(0) / 1e9;
			System.out.printf(Locale.ROOT,
					"slow mode=%s clients=%d open_when_measured=%d ended=%d answered_408=%d other_answers=%d "
							+ "closed_unanswered=%d longest_s=%.1f never_ended=%d%n",
					mode, count, openAtStart, slow.ended(), answered408, otherAnswers,
					slow.ended() - answered408 - otherAnswers, longest, count - slow.ended());
		}
	}

	private void ordinaryRequestsWhile(BooleanSupplier going) {
		while (going.getAsBoolean()) {
			measure("GET", HttpRequest.newBuilder(this.uri).GET());
			measure("POST",
					HttpRequest.newBuilder(this.uri)
						.header("Content-Type", "application/json")
						.header("User-Agent", "ordinary/1.0")
						.POST(BodyPublishers.ofString("{\"visitorId\":\"" + UUID.randomUUID() + "\"}")));
		}
	}

	private void measure(String method, HttpRequest.Builder request) {
		long started = System.nanoTime();
		boolean failed;
		try {
			HttpResponse<Void> response = this.http.send(request.timeout(REQUEST_TIMEOUT).build(),
					BodyHandlers.discarding());
			failed = response.statusCode() != 200;
		}
		catch (Exception ex) {
			failed = true;
		}
		this.samples.add(new Sample(method, started, System.nanoTime() - started, failed));
	}

	private static void print(String phase, List<Sample> samples) {
		System.out.printf(Locale.ROOT,
				"phase=%s requests=%d failures=%d p50_ms=%s p99_ms=%s max_ms=%s get_p99_ms=%s post_p99_ms=%s%n", phase,
				samples.size(), samples.stream().filter(Sample::failed).count(), percentile(samples, 0.5, (s) -> true),
				percentile(samples, 0.99, (s) -> true), percentile(samples, 1.0, (s) -> true),
				percentile(samples, 0.99, (s) -> s.method().equals("GET")),
				percentile(samples, 0.99, (s) -> s.method().equals("POST")));
	}

	private static String percentile(List<Sample> samples, double fraction, Predicate<Sample> which) {
		List<Long> sorted = samples.stream().filter(which).map(Sample::nanos).sorted().toList();
		if (sorted.isEmpty()) {
			return "NA";
		}
		return String.format(Locale.ROOT, "%.1f",
				sorted.get((int) Math.ceil(fraction * sorted.size()) - 1) / 1e6);
	}

	private record Sample(String method, long at, long nanos, boolean failed) {

	}

}
