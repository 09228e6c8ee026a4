package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.github.visitorcounter.counter.RegistrationScript.Limits;
import io.github.visitorcounter.counter.RegistrationScript.Outcome;
import io.github.visitorcounter.counter.RegistrationScript.PageOutcome;
import io.github.visitorcounter.counter.RegistrationScript.PageVisit;
import io.github.visitorcounter.counter.RegistrationScript.Result;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registration script with a page: the page's dedupe sets in the counter's layout,
 * its count in the counter's sorted set of pages, and the cases that only read it.
 */
class PageRegistrationTests extends RegistrationScriptTestSupport {

	@Test
	void keepsAPagesVisitorsInIntsetBucketsThatGrowByLevels() {
		RegistrationScript script = script(DEFAULTS, NO_LIMITS);
		List<String> visitors = IntStream.range(0, 2_100).mapToObj((i) -> "page-visitor-%05d".formatted(i)).toList();
		visitors.forEach((visitor) -> assertThat(visit(script, visitor, "/posts/hello").page())
			.isEqualTo(new PageVisit(PageOutcome.NEW, visitors.indexOf(visitor) + 1)));
		visitors.forEach((visitor) -> assertThat(visit(script, visitor, "/posts/hello").page())
			.isEqualTo(new PageVisit(PageOutcome.RETURNING, 2_100)));
		String state = "visitors:{blog}:page:" + keys(DEFAULTS).pageDigest("/posts/hello") + ":v";
		assertThat(this.redis.<String, String>opsForHash().entries(state)).containsEntry("entries", "2100")
			.containsEntry("top", "2");
		assertThat(keys(state + ":*")).hasSize(21)
			.allSatisfy((bucket) -> assertThat(encoding(bucket)).isEqualTo("intset"));
		assertThat(this.redis.opsForZSet().score("visitors:{blog}:pages", "/posts/hello")).isEqualTo(2_100.0);
		assertThat(store(DEFAULTS).count("blog")).isEqualTo(2_100);
	}

	@Test
	void countsAVisitorOncePerPageWithADedupeTtlToo() {
		RegistrationScript script = script(new CounterProperties("visitors", Duration.ofDays(30), null), NO_LIMITS);
		assertThat(visit(script, ALICE, "/a").page()).isEqualTo(new PageVisit(PageOutcome.NEW, 1));
		assertThat(visit(script, ALICE, "/b").page()).isEqualTo(new PageVisit(PageOutcome.NEW, 1));
		assertThat(visit(script, ALICE, "/a").page()).isEqualTo(new PageVisit(PageOutcome.RETURNING, 1));
		assertThat(visit(script, BOB, "/a").page()).isEqualTo(new PageVisit(PageOutcome.NEW, 2));
		assertThat(keys("visitors:{blog}:page:*")).allSatisfy((key) -> assertThat(key).contains(":v0"))
			.allSatisfy((key) -> assertThat(this.redis.getExpire(key)).isPositive());
	}

	@Test
	void onlyReadsThePageForAVisitorTheCounterDoesNotCount() {
		RegistrationScript capped = script(DEFAULTS, new Limits(0, Duration.ofSeconds(10), 1, Duration.ofHours(1)));
		visit(capped, ALICE, "/a");
		Result overCap = visit(capped, BOB, "/a");
		assertThat(overCap.outcome()).isEqualTo(Outcome.CAPPED);
		assertThat(overCap.page()).isEqualTo(new PageVisit(PageOutcome.NOT_COUNTED, 1));
		Result notCountable = capped.register("blog", BOB, ADDRESS, false, "/a");
		assertThat(notCountable.outcome()).isEqualTo(Outcome.NOT_COUNTABLE);
		assertThat(notCountable.page()).isEqualTo(new PageVisit(PageOutcome.NOT_COUNTED, 1));
		// A visitor the counter counted before is counted for a page new to it, past
		// the cap on new visitors: the cap is on visitor ids, not on pages.
		assertThat(visit(capped, ALICE, "/b").page()).isEqualTo(new PageVisit(PageOutcome.NEW, 1));
	}

	@Test
	void answersAVisitToTheCounterAloneWithoutAPage() {
		RegistrationScript script = script(DEFAULTS, NO_LIMITS);
		assertThat(register(script, "blog", ALICE).page()).isNull();
		assertThat(keys("visitors:{blog}:page*")).isEmpty();
	}

	private static Result visit(RegistrationScript script, String visitor, String page) {
		return script.register("blog", visitor, ADDRESS, true, page);
	}

	private String encoding(String key) {
		return this.redis
			.execute((RedisConnection connection) -> connection.keyCommands().encodingOf(key.getBytes()).raw());
	}

}
