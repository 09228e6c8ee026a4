package io.github.visitorcounter.counter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads the Lua scripts under {@code src/main/resources/scripts/}.
 */
final class LuaScripts {

	private LuaScripts() {
	}

	/**
	 * A script that returns a list of integers, read once: a script built from a Resource
	 * re-checks the file on every call, which inside a jar costs a failed lookup and an
	 * exception per request.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static RedisScript<List<Long>> returningIntegers(String name) {
		try {
			String source = new ClassPathResource("scripts/" + name).getContentAsString(StandardCharsets.UTF_8);
			return (RedisScript) RedisScript.of(source, List.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read script " + name, ex);
		}
	}

}
