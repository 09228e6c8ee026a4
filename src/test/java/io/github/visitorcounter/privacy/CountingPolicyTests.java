package io.github.visitorcounter.privacy;

import java.util.List;

import io.github.visitorcounter.privacy.PrivacyProperties.BotFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CountingPolicyTests {

	private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

	private static final List<String> CRAWLERS = List.of("bot", "crawl", "spider");

	@Test
	void countsAnOrdinaryVisit() {
		assertThat(policy(false, true, List.of()).notCountedReason(client("203.0.113.7", FIREFOX, false, false)))
			.isEmpty();
	}

	@Test
	void ignoresDoNotTrackUnlessToldToRespectIt() {
		assertThat(policy(false, true, List.of()).notCountedReason(client("203.0.113.7", FIREFOX, true, true)))
			.isEmpty();
		assertThat(policy(true, true, List.of()).notCountedReason(client("203.0.113.7", FIREFOX, true, false)))
			.hasValue("do-not-track");
		assertThat(policy(true, true, List.of()).notCountedReason(client("203.0.113.7", FIREFOX, false, true)))
			.hasValue("do-not-track");
	}

	@Test
	void skipsCrawlersAndRequestsWithoutUserAgent() {
		CountingPolicy policy = policy(false, true, List.of());
		assertThat(
				policy.notCountedReason(client("203.0.113.7", "Mozilla/5.0 (compatible; GoogleBot/2.1)", false, false)))
			.hasValue("bot");
		assertThat(policy.notCountedReason(client("203.0.113.7", null, false, false))).hasValue("bot");
		assertThat(policy.notCountedReason(client("203.0.113.7", "  ", false, false))).hasValue("bot");
		assertThat(policy.notCountedReason(client("203.0.113.7", "curl/8.5.0", false, false))).isEmpty();
	}

	@Test
	void countsCrawlersWhenTheFilterIsOff() {
		assertThat(policy(false, false, List.of()).notCountedReason(client("203.0.113.7", "Googlebot", false, false)))
			.isEmpty();
	}

	@Test
	void skipsExcludedAddresses() {
		CountingPolicy policy = policy(false, true, List.of("192.0.2.0/24", "2001:db8::/32"));
		assertThat(policy.notCountedReason(client("192.0.2.9", FIREFOX, false, false))).hasValue("excluded-address");
		assertThat(policy.notCountedReason(client("2001:db8:0:0:0:0:0:5", FIREFOX, false, false)))
			.hasValue("excluded-address");
		assertThat(policy.notCountedReason(client("198.51.100.1", FIREFOX, false, false))).isEmpty();
	}

	private static CountingPolicy policy(boolean respectDnt, boolean filterBots, List<String> excluded) {
		return new CountingPolicy(new PrivacyProperties(respectDnt, new BotFilter(filterBots, CRAWLERS), excluded));
	}

	private static Client client(String address, String userAgent, boolean dnt, boolean gpc) {
		return new Client(address, userAgent, dnt, gpc);
	}

}
