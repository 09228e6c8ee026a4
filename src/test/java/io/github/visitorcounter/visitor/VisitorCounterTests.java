package io.github.visitorcounter.visitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.visitorcounter.TestRedisConfiguration;
import io.github.visitorcounter.visitor.VisitorCounter.Visit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DataRedisTest
@EnableConfigurationProperties(VisitorProperties.class)
@Import({ TestRedisConfiguration.class, VisitorConfiguration.class, VisitorCounter.class })
class VisitorCounterTests {

	private static final String ALICE = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	private static final String BOB = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

	@Autowired
	private VisitorCounter visitorCounter;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private RedisScript<List<Long>> registerVisitScript;

	@BeforeEach
	void emptyRedis() {
		TestRedisConfiguration.flushAll(this.redis);
	}

	@Test
	void countsANewVisitor() {
		assertThat(this.visitorCounter.register("default", ALICE)).isEqualTo(new Visit("default", 1, true));
		assertThat(this.visitorCounter.register("default", BOB)).isEqualTo(new Visit("default", 2, true));
		assertThat(this.visitorCounter.count("default")).isEqualTo(2);
	}

	@Test
	void countsARefreshOnce() {
		this.visitorCounter.register("default", ALICE);
		assertThat(this.visitorCounter.register("default", ALICE)).isEqualTo(new Visit("default", 1, false));
		assertThat(this.visitorCounter.register("default", ALICE)).isEqualTo(new Visit("default", 1, false));
		assertThat(this.visitorCounter.count("default")).isEqualTo(1);
	}

	@Test
	void keepsCountersIndependent() {
		this.visitorCounter.register("blog", ALICE);
		this.visitorCounter.register("blog", BOB);
		assertThat(this.visitorCounter.register("docs", ALICE)).isEqualTo(new Visit("docs", 1, true));
		assertThat(this.visitorCounter.count("blog")).isEqualTo(2);
		assertThat(this.visitorCounter.count("docs")).isEqualTo(1);
		assertThat(this.visitorCounter.count("never-hit")).isZero();
	}

	@Test
	void neverDoubleCountsAReplayedScript() {
		// Lettuce re-sends a command whose reply was lost in a reconnect: the replay must
		// be harmless.
		VisitorKeys keys = new VisitorKeys("visitors", new VisitorIdHasher("replay-test-secret-0123456789"));
		List<String> scriptKeys = List.of(keys.count("default"), keys.seen("default", ALICE));
		assertThat(this.redis.execute(this.registerVisitScript, scriptKeys, "0")).containsExactly(1L, 1L);
		assertThat(this.redis.execute(this.registerVisitScript, scriptKeys, "0")).containsExactly(0L, 1L);
	}

	@Test
	void storesDigestsNeverRawIds() {
		this.visitorCounter.register("default", ALICE);
		this.visitorCounter.register("blog", BOB);
		Set<String> keys = allKeys();
		assertThat(keys).hasSize(4)
			.contains("visitors:{default}:count", "visitors:{blog}:count")
			.allSatisfy((key) -> assertThat(key).doesNotContain(ALICE).doesNotContain(BOB))
			.filteredOn((key) -> key.contains(":seen:"))
			.allSatisfy((key) -> assertThat(key).matches("visitors:\\{(default|blog)\\}:seen:[A-Za-z0-9_-]{22}"));
		assertThat(keys).allSatisfy((key) -> assertThat(this.redis.opsForValue().get(key)).doesNotContain(ALICE));
	}

	@Test
	void keepsSeenKeysForeverByDefault() {
		this.visitorCounter.register("default", ALICE);
		assertThat(allKeys()).allSatisfy((key) -> assertThat(this.redis.getExpire(key)).isEqualTo(-1));
	}

	@Test
	void countsAVisitorAgainOnceItsDedupeWindowExpired() {
		VisitorProperties oneSecondWindow = new VisitorProperties("visitors", Duration.ofSeconds(1), null, List.of());
		VisitorCounter counter = new VisitorCounter(this.redis, this.registerVisitScript,
				new VisitorKeys("visitors", new VisitorIdHasher(oneSecondWindow.effectiveIdSecret())), oneSecondWindow);
		assertThat(counter.register("default", ALICE).newVisitor()).isTrue();
		assertThat(counter.register("default", ALICE).newVisitor()).isFalse();
		String seenKey = allKeys().stream().filter((key) -> key.contains(":seen:")).findFirst().orElseThrow();
		assertThat(this.redis.getExpire(seenKey)).isBetween(0L, 1L);
		assertThat(this.redis.getExpire("visitors:{default}:count")).isEqualTo(-1);
		await().atMost(Duration.ofSeconds(5)).until(() -> !Boolean.TRUE.equals(this.redis.hasKey(seenKey)));
		assertThat(counter.register("default", ALICE)).isEqualTo(new Visit("default", 2, true));
	}

	@Test
	void usesTheConfiguredKeyPrefix() {
		VisitorProperties properties = new VisitorProperties("site-a", null, "a-secret-of-sixteen-chars", List.of());
		VisitorCounter counter = new VisitorCounter(this.redis, this.registerVisitScript,
				new VisitorKeys(properties.keyPrefix(), new VisitorIdHasher(properties.effectiveIdSecret())),
				properties);
		counter.register("default", ALICE);
		assertThat(allKeys()).hasSize(2).allSatisfy((key) -> assertThat(key).startsWith("site-a:{default}:"));
	}

	private Set<String> allKeys() {
		return this.redis.execute((RedisConnection connection) -> {
			List<String> keys = new ArrayList<>();
			try (Cursor<byte[]> cursor = connection.keyCommands().scan(ScanOptions.scanOptions().count(100).build())) {
				cursor.forEachRemaining((key) -> keys.add(new String(key)));
			}
			return Set.copyOf(keys);
		});
	}

}
