package io.github.visitorcounter.counter;

import java.util.List;
import java.util.stream.Stream;

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

	/**
	 * Only the flagged scripts (the registration, and the admission of a new counter), by
	 * their SHA1 or, after NOSCRIPT, whole.
	 */
	@Override
	void assertScriptCalls() {
		List<List<String>> scriptCalls = upstash.commands()
			.stream()
			.filter((command) -> command.get(0).toUpperCase().startsWith("EVAL"))
			.toList();
		List<String> flagged = Stream.of(RegistrationScript.SCRIPT, CounterRegistry.SCRIPT)
			.map((name) -> this.scripts.returningIntegers(name).getScriptAsString())
			.flatMap((script) -> Stream.of(script, ScriptFlagProxy.sha1(script)))
			.toList();
		assertThat(scriptCalls).extracting((command) -> command.get(0).toUpperCase()).contains("EVALSHA", "EVAL");
		assertThat(scriptCalls).allSatisfy((command) -> assertThat(command.get(1)).isIn(flagged));
	}

}
