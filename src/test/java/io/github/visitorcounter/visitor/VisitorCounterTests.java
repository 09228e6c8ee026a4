package io.github.visitorcounter.visitor;

import io.github.visitorcounter.counter.ChannelProperties;
import io.github.visitorcounter.counter.CounterProperties;
import io.github.visitorcounter.counter.ServedCountersProperties;
import io.github.visitorcounter.counter.DayProperties;
import io.github.visitorcounter.counter.PageProperties;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.privacy.CountingPolicy;
import io.github.visitorcounter.privacy.PrivacyProperties;
import io.github.visitorcounter.ratelimit.NewVisitorCapProperties;
import io.github.visitorcounter.ratelimit.RateLimitProperties;
import io.github.visitorcounter.ratelimit.ReadLimitProperties;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import io.github.visitorcounter.visitor.VisitorCounter.Registration;
import io.github.visitorcounter.web.RateLimitExceededException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What registering a visit adds to the script call: the checks that need no Redis.
 */
@DataRedisTest(properties = "visitors.rate-limit.requests=1")
@EnableConfigurationProperties({ CounterProperties.class, ServedCountersProperties.class, DayProperties.class,
		ChannelProperties.class, PrivacyProperties.class, RateLimitProperties.class, NewVisitorCapProperties.class,
		ReadLimitProperties.class, PageProperties.class })
@ComponentScan(basePackages = { "io.github.visitorcounter.counter", "io.github.visitorcounter.ratelimit" })
@Import({ TestRedisConfiguration.class, VisitorCounter.class, CountingPolicy.class, VisitMetrics.class,
		SimpleMeterRegistry.class })
class VisitorCounterTests {

	private static final String ALICE = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	private static final Client BROWSER = new Client("198.51.100.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
			false, false);

	@Autowired
	private VisitorCounter visitorCounter;

	@Autowired
	private StringRedisTemplate redis;

	@BeforeEach
	void emptyRedis() {
		TestRedisConfiguration.flushAll(this.redis);
	}

	@Test
	void answersAClientOverItsBudgetWithoutAskingRedisAgain() {
		this.visitorCounter.register("default", ALICE, BROWSER);
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> this.visitorCounter.register("default", ALICE, BROWSER));
		TestRedisConfiguration.flushAll(this.redis);
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> this.visitorCounter.register("default", ALICE, BROWSER));
	}

	@Test
	void answersButDoesNotCountAVisitThePolicyRules() {
		Client crawler = new Client(BROWSER.address(), "Mozilla/5.0 (compatible; Googlebot/2.1)", false, false);
		Registration registration = this.visitorCounter.register("crawled", ALICE, crawler);
		assertThat(registration.count()).isZero();
		assertThat(registration.newVisitor()).isFalse();
		assertThat(registration.notCountedReason()).isEqualTo("bot");
		assertThat(this.redis.keys("*")).noneMatch((key) -> key.contains(":v") || key.endsWith(":count"));
	}

}
