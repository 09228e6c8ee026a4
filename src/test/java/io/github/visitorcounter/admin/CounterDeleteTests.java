package io.github.visitorcounter.admin;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting a counter while visitors keep coming: no visitor is left marked seen but not
 * counted, nor counted but not marked.
 */
@WithoutLimits
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "visitors.admin-token=" + CounterDeleteTests.TOKEN)
class CounterDeleteTests extends ApiTestSupport {

	static final String TOKEN = "test-admin-token-0123456789";

	private static final int VISITING_THREADS = 6;

	@Test
	void visitsThatRaceFiveDeletesLeaveTheCountEqualToTheVisitorsRemembered() throws Exception {
		AtomicBoolean deleting = new AtomicBoolean(true);
		ExecutorService visitors = Executors.newFixedThreadPool(VISITING_THREADS);
		List<Future<List<Integer>>> statuses = new ArrayList<>();
		try {
			for (int i = 0; i < VISITING_THREADS; i++) {
				statuses.add(visitors.submit(() -> visitWhile(deleting)));
			}
			for (int delete = 0; delete < 5; delete++) {
				Thread.sleep(300);
				HttpResponse<String> deleted = this.api
					.send(this.api.request("/api/admin/counters/blog", "Authorization", "Bearer " + TOKEN)
						.method("DELETE", BodyPublishers.noBody()));
				assertThat(deleted.statusCode()).isEqualTo(200);
			}
			Thread.sleep(300);
		}
		finally {
			deleting.set(false);
			visitors.shutdown();
		}
		List<Integer> answered = new ArrayList<>();
		for (Future<List<Integer>> thread : statuses) {
			answered.addAll(thread.get());
		}
		assertThat(answered).hasSizeGreaterThan(50).containsOnly(200);
		try (DirectRedis direct = new DirectRedis(RedisServer.shared())) {
			assertThat(direct.counter("blog")).as("count after the last delete")
				.isPositive()
				.isEqualTo(direct.dedupeMembers("blog").size());
		}
	}

	private List<Integer> visitWhile(AtomicBoolean deleting) {
		List<Integer> statuses = new ArrayList<>();
		while (deleting.get()) {
			statuses.add(this.api.post("/api/visitors/blog", visit(UUID.randomUUID().toString())).statusCode());
		}
		return statuses;
	}

}
