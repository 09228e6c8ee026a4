package io.github.visitorcounter.visitor;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Visits to the pages of one site from many threads at once: every page's count and the
 * site's are exact, and every visitor is new exactly once to the site and to each page it
 * read. Each subclass runs it against a Redis of its own kind.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "visitors.admin-token=" + PageConcurrencyTestSupport.TOKEN)
@WithoutLimits
@DirtiesContext
abstract class PageConcurrencyTestSupport {

	static final String TOKEN = "pages-admin-token-0123456789";

	private static final int THREADS = 32;

	private static final int REQUESTS = 5_000;

	private static final int VISITORS = 500;

	private static final int PAGES = 50;

	@LocalServerPort
	int port;

	@Test
	void countsEveryPageAndTheSiteExactlyUnderConcurrentVisits() throws Exception {
		ApiClient api = new ApiClient(this.port);
		List<String> visitors = IntStream.range(0, VISITORS).mapToObj((i) -> UUID.randomUUID().toString()).toList();
		List<String> pages = IntStream.range(0, PAGES).mapToObj((i) -> "/posts/" + i).toList();
		Random random = new Random(18);
		List<String[]> sends = new ArrayList<>(REQUESTS);
		for (int i = 0; i < REQUESTS; i++) {
			// Every visitor at least once; the pages a visitor reads, at random, some
			// more than once.
			String visitor = visitors.get((i < VISITORS) ? i : random.nextInt(VISITORS));
			sends.add(new String[] { visitor, pages.get(random.nextInt(PAGES)) });
		}
		Collections.shuffle(sends, random);
		Map<String, Set<String>> readersByPage = new HashMap<>();
		sends.forEach((send) -> readersByPage.computeIfAbsent(send[1], (page) -> new HashSet<>()).add(send[0]));

		Map<String, AtomicInteger> newToSite = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> newToPage = new ConcurrentHashMap<>();
		AtomicInteger failures = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> results = new ArrayList<>();
			for (String[] send : sends) {
				results.add(clients.submit(() -> {
					HttpResponse<String> response = api.post("/api/visitors/site/pages",
							PageApiTests.pageVisit(send[0], send[1] + "/"));
					if (response.statusCode() != 200) {
						failures.incrementAndGet();
						return;
					}
					String body = response.body();
					// The site's newVisitor comes first, the page's last.
					if (body.indexOf("\"newVisitor\":true") == body.indexOf("\"newVisitor\":")) {
						newToSite.computeIfAbsent(send[0], (id) -> new AtomicInteger()).incrementAndGet();
					}
					if (body.endsWith("\"newVisitor\":true}}")) {
						newToPage.computeIfAbsent(send[0] + " " + send[1], (id) -> new AtomicInteger())
							.incrementAndGet();
					}
				}));
			}
			for (Future<?> result : results) {
				result.get();
			}
		}
		finally {
			clients.shutdown();
		}

		assertThat(failures).hasValue(0);
		assertThat(newToSite).hasSize(VISITORS).allSatisfy((id, replies) -> assertThat(replies).hasValue(1));
		int pageReaders = readersByPage.values().stream().mapToInt(Set::size).sum();
		assertThat(newToPage).hasSize(pageReaders).allSatisfy((read, replies) -> assertThat(replies).hasValue(1));
		assertThat(api.get("/api/visitors?counter=site").body())
			.isEqualTo("{\"counters\":[{\"counter\":\"site\",\"count\":" + VISITORS + "}]}");
		String query = pages.stream().map((page) -> "path=" + page).collect(Collectors.joining("&"));
		String expected = pages.stream()
			.map((page) -> "{\"path\":\"" + page + "\",\"count\":" + readersByPage.getOrDefault(page, Set.of()).size()
					+ "}")
			.collect(Collectors.joining(",", "{\"counter\":\"site\",\"pages\":[", "]}"));
		assertThat(api.get("/api/visitors/site/pages?" + query).body()).isEqualTo(expected);
	}

}
