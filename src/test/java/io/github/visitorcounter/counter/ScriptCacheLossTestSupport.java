package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.List;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.VisitLoad;
import io.github.visitorcounter.testing.VisitLoad.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application against a Redis whose script cache is lost again and again under
 * concurrent visits, as Upstash's is at every restart: every visit is answered, none
 * fails with {@code NOSCRIPT} (Spring Data Redis sends the script whole instead), and
 * nobody is counted twice. Each subclass brings its Redis and says which variant of the
 * scripts the application must have chosen at start.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.rate-limit.enabled=false", "visitors.new-visitor-cap.enabled=false" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
abstract class ScriptCacheLossTestSupport {

	@LocalServerPort
	int port;

	@Autowired
	LuaScripts scripts;

	/** The Redis behind the application. */
	abstract Backend backend();

	@Test
	void choosesTheScriptsVariantAtStartAndSaysWhich(CapturedOutput output) {
		boolean acceptsKeyLocking = backend().acceptsKeyLocking();
		assertThat(this.scripts.keyLocking()).isEqualTo(acceptsKeyLocking);
		assertThat(output.getAll()).contains(acceptsKeyLocking ? "Redis accepts the Lua script flag allow-key-locking"
				: "Redis refuses the Lua script flag allow-key-locking");
	}

	@Test
	void answersEveryVisitWhileTheScriptCacheIsFlushedUnderLoad() throws InterruptedException {
		String counter = "script-cache-loss";
		Backend backend = backend();
		long noScriptBefore = backend.noScriptErrors();
		List<Outcome> outcomes;
		VisitLoad load = VisitLoad.start(new ApiClient(this.port), "/api/visitors/" + counter, 8, Duration.ofMillis(2));
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(Outcome::ok) >= 50);
			for (int flush = 0; flush < 10; flush++) {
				backend.flushScripts();
				Thread.sleep(200);
			}
			long lastFlush = System.nanoTime();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> load.count((outcome) -> outcome.startedNanos() > lastFlush) >= 50);
		}
		finally {
			outcomes = load.stop();
		}
		long noScript = backend.noScriptErrors() - noScriptBefore;
		assertThat(noScript).as("calls answered NOSCRIPT").isPositive();
		assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome.status()).as("%s", outcome).isEqualTo(200));
		long count = Long.parseLong(new ApiClient(this.port).get("/api/visitors/" + counter)
			.body()
			.replaceAll(".*\"count\":(\\d+).*", "$1"));
		assertThat(count).isEqualTo(VisitLoad.newVisitorsAcknowledged(outcomes))
			.isEqualTo(backend.storedVisitors(counter));
		assertScriptCalls();
		System.out.printf("SCRIPT FLUSH x10 under load: %d visits, all 200, %d calls answered NOSCRIPT%n",
				outcomes.size(), noScript);
	}

	/**
	 * Checks, where the test can see them, the script calls the application sent under
	 * load.
	 */
	void assertScriptCalls() {
	}

	/** How many calls Redis answered with NOSCRIPT, from {@code INFO errorstats}. */
	static long noScriptErrors(String errorStats) {
		return errorStats.lines()
			.filter((line) -> line.startsWith("errorstat_NOSCRIPT:"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll(".*count=(\\d+).*", "$1")))
			.sum();
	}

	/** The Redis behind the application, as the test reaches it. */
	interface Backend {

		/** Whether it takes the flag allow-key-locking. */
		boolean acceptsKeyLocking();

		/** Empties the script cache of every node. */
		void flushScripts();

		/** How many calls were answered with NOSCRIPT so far, all nodes together. */
		long noScriptErrors();

		/** The visitors stored in a counter's dedupe sets. */
		long storedVisitors(String counter);

	}

	/** One Redis server, reached directly. */
	record Standalone(RedisServer redis, boolean acceptsKeyLocking) implements Backend {

		@Override
		public void flushScripts() {
			try (DirectRedis direct = new DirectRedis(this.redis)) {
				direct.commands().scriptFlush();
			}
		}

		@Override
		public long noScriptErrors() {
			try (DirectRedis direct = new DirectRedis(this.redis)) {
				return ScriptCacheLossTestSupport.noScriptErrors(direct.commands().info("errorstats"));
			}
		}

		@Override
		public long storedVisitors(String counter) {
			try (DirectRedis direct = new DirectRedis(this.redis)) {
				return direct.seenVisitors(counter);
			}
		}

	}

}
