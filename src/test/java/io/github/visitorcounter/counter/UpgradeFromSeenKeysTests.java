package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * This version started on a Redis that the version before the dedupe sets wrote: the same
 * visitors coming back are not counted again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.rate-limit.enabled=false", "visitors.new-visitor-cap.enabled=false" })
class UpgradeFromSeenKeysTests extends ApiTestSupport {

	@Autowired
	private CounterKeys keys;

	@Test
	void countsNoReturningVisitorAgainAfterTheUpgrade() {
		List<String> visitors = IntStream.range(0, 200).mapToObj((i) -> "counted-before-%04d".formatted(i)).toList();
		visitors.forEach((visitor) -> SeenKeysLayout.register(this.redis, this.keys, Duration.ZERO, "blog", visitor));
		for (int replay = 0; replay < 2; replay++) {
			for (String visitor : visitors) {
				assertThat(this.api.post("/api/visitors/blog", visit(visitor)).body())
					.isEqualTo("{\"counter\":\"blog\",\"count\":200,\"newVisitor\":false}");
			}
		}
		assertThat(this.redis.keys("visitors:{blog}:seen:*")).isEmpty();
		assertThat(this.api.post("/api/visitors/blog", visit("first-after-the-upgrade")).body())
			.isEqualTo("{\"counter\":\"blog\",\"count\":201,\"newVisitor\":true}");
	}

}
