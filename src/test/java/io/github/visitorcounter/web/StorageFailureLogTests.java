package io.github.visitorcounter.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.visitorcounter.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class StorageFailureLogTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

	private final StorageFailureLog failures = new StorageFailureLog(this.clock);

	private final Exception failure = new RedisConnectionFailureException("Unable to connect to Redis");

	@Test
	void warnsOfTheFirstFailureAtOnceAndThenOncePerIntervalWithTheCountInBetween(CapturedOutput output) {
		fail(1_000);
		assertThat(warnings(output)).containsExactly("Redis is unavailable: Unable to connect to Redis");
		this.clock.advance(StorageFailureLog.INTERVAL.minusMillis(1));
		fail(10);
		assertThat(warnings(output)).hasSize(1);
		this.clock.advance(Duration.ofMillis(1));
		fail(1);
		assertThat(warnings(output)).containsExactly("Redis is unavailable: Unable to connect to Redis",
				"Redis is unavailable: Unable to connect to Redis (and 1009 more failed requests since the last warning)");
	}

	@Test
	void warnsAtOnceOfAFailureAfterAQuietInterval(CapturedOutput output) {
		fail(1);
		this.clock.advance(StorageFailureLog.INTERVAL.multipliedBy(3));
		fail(1);
		assertThat(warnings(output)).containsExactly("Redis is unavailable: Unable to connect to Redis",
				"Redis is unavailable: Unable to connect to Redis");
	}

	private void fail(int times) {
		for (int i = 0; i < times; i++) {
			this.failures.failed(this.failure);
		}
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("Redis is unavailable"))
			.map((line) -> line.substring(line.indexOf("Redis is unavailable")))
			.toList();
	}

}
