package io.github.visitorcounter.counter;

import java.util.List;

import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.AutoClose;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis that takes the flag allow-key-locking, as Upstash does
 * ({@link ScriptFlagProxy}), loses its script cache under load, as Upstash's does at
 * every restart.
 */
class ScriptCacheLossOnUpstashTests extends ScriptCacheLossTestSupport {

	@AutoClose
	private static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	@AutoClose
	private static final ScriptFlagProxy upstash = new ScriptFlagProxy(redis);

	@DynamicPropertySource
	static void redisUrl(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", upstash::url);
	}

	@Override
	Backend backend() {
		return new Standalone(redis, true);
	}

	/** Only the flagged script, by its SHA1 or, after NOSCRIPT, whole. */
	@Override
	void assertScriptCalls() {
		List<List<String>> scriptCalls = upstash.commands()
			.stream()
			.filter((command) -> command.get(0).toUpperCase().startsWith("EVAL"))
			.toList();
		String flagged = this.scripts.returningIntegers(RegistrationScript.SCRIPT).getScriptAsString();
		assertThat(scriptCalls).extracting((command) -> command.get(0).toUpperCase()).contains("EVALSHA", "EVAL");
		assertThat(scriptCalls)
			.allSatisfy((command) -> assertThat(command.get(1)).isIn(flagged, ScriptFlagProxy.sha1(flagged)));
	}

}
