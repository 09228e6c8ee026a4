package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.visitorcounter.counter.RegistrationScript.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis written by the layout before dedupe sets (one seen-key per visitor, written
 * here by that version's script) keeps every count and every visitor: nobody it counted
 * is counted again, and a returning visitor's seen-key moves into the dedupe sets.
 */
class DedupeUpgradeTests extends RegistrationScriptTestSupport {

	private static final List<String> VISITORS = IntStream.range(0, 1_000)
		.mapToObj((i) -> "upgrade-visitor-%04d".formatted(i))
		.toList();

	@Test
	void countsNobodyAgainWhomTheSeenKeysCounted() {
		VISITORS.forEach((visitor) -> registerWithSeenKeys(DEFAULTS, visitor));
		assertThat(keys("visitors:{default}:seen:*")).hasSize(VISITORS.size());
		RegistrationScript script = script(DEFAULTS, NO_LIMITS);
		assertVisit(register(script, "default", "a-visitor-after-the-upgrade"), 1_001, Outcome.NEW);

		for (String visitor : VISITORS) {
			assertVisit(register(script, "default", visitor), 1_001, Outcome.RETURNING);
		}
		assertThat(keys("visitors:{default}:seen:*")).isEmpty();
		assertThat(visitorsInBuckets("default")).isEqualTo(1_001);
		assertThat(this.redis.opsForHash().get("visitors:{default}:v", "entries")).isEqualTo("1001");
		for (String visitor : VISITORS) {
			assertVisit(register(script, "default", visitor), 1_001, Outcome.RETURNING);
		}
		assertThat(store(DEFAULTS).count("default")).isEqualTo(1_001);
	}

	@Test
	void movesSeenKeysWithADedupeTtlIntoTheCurrentGeneration() {
		CounterProperties thirtyDays = new CounterProperties("visitors", Duration.ofDays(30), null);
		VISITORS.subList(0, 10).forEach((visitor) -> registerWithSeenKeys(thirtyDays, visitor));
		RegistrationScript script = script(thirtyDays, NO_LIMITS);

		for (String visitor : VISITORS.subList(0, 10)) {
			assertVisit(register(script, "default", visitor), 10, Outcome.RETURNING);
		}
		assertThat(keys("visitors:{default}:seen:*")).isEmpty();
		assertThat(keys("visitors:{default}:v?")).singleElement().satisfies((state) -> {
			assertThat(this.redis.opsForHash().get(state, "entries")).isEqualTo("10");
			assertThat(this.redis.getExpire(state, TimeUnit.DAYS)).isBetween(30L, 60L);
		});
		assertThat(visitorsInBuckets("default")).isEqualTo(10);
	}

	private void registerWithSeenKeys(CounterProperties properties, String visitorId) {
		SeenKeysLayout.register(this.redis, keys(properties), properties.effectiveDedupeTtl(), "default", visitorId);
	}

}
