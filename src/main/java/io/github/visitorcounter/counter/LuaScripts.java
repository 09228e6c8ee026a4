package io.github.visitorcounter.counter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisCommandExecutionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts under {@code src/main/resources/scripts/}, each in the variant this
 * Redis runs.
 * <p>
 * Every script begins with {@value #KEY_LOCKING}: Upstash runs a script without that flag
 * under its database-wide lock, and one with it under locks of its {@code KEYS} alone.
 * Stock Redis refuses the flag ("Unexpected flag in script shebang"), Redis 6 any such
 * first line; for those the line is blanked, which keeps the line numbers in error
 * messages. Which variant runs is decided once, by loading the first script with the
 * flag: at start, or at the first call if Redis could not be reached then.
 * <p>
 * The script cache may lose a script at any time (Upstash's does not survive a restart):
 * Spring Data Redis answers {@code NOSCRIPT} by sending the script whole ({@code EVAL}),
 * which caches it again.
 */
class LuaScripts {

	static final String KEY_LOCKING = "#!lua flags=allow-key-locking";

	private static final Log logger = LogFactory.getLog(LuaScripts.class);

	private final StringRedisTemplate redis;

	private final Map<String, Variants> scripts = new LinkedHashMap<>();

	private final AtomicReference<Boolean> keyLocking = new AtomicReference<>();

	LuaScripts(StringRedisTemplate redis, String... names) {
		this.redis = redis;
		for (String name : names) {
			this.scripts.put(name, Variants.read(name));
		}
	}

	/** Runs a script that returns a list of integers, in the variant this Redis runs. */
	List<Long> runForIntegers(String name, List<String> keys, Object... arguments) {
		return this.redis.execute(returningIntegers(name), keys, arguments);
	}

	/** Runs a script that returns a list of strings, in the variant this Redis runs. */
	List<String> runForStrings(String name, List<String> keys, Object... arguments) {
		return this.redis.execute(returningStrings(name), keys, arguments);
	}

	/** A script that returns a list of integers, as this Redis runs it. */
	RedisScript<List<Long>> returningIntegers(String name) {
		Variants variants = this.scripts.get(name);
		if (variants == null) {
			throw new IllegalArgumentException("Unknown script " + name);
		}
		return keyLocking() ? variants.keyLocking() : variants.plain();
	}

	/**
	 * A script that returns a list of strings, as this Redis runs it: the same script
	 * object, read with another element type, as Spring Data Redis turns each bulk string
	 * of a list reply into a String.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	RedisScript<List<String>> returningStrings(String name) {
		return (RedisScript) returningIntegers(name);
	}

	/** Whether the scripts run with the flag {@code allow-key-locking}. */
	boolean keyLocking() {
		Boolean decided = this.keyLocking.get();
		return (decided != null) ? decided : decide();
	}

	@EventListener(ApplicationReadyEvent.class)
	void decideAtStart() {
		try {
			keyLocking();
		}
		catch (DataAccessException ex) {
			logger.warn("Redis is not reachable at start; the Lua scripts' variant is chosen at the first visit ("
					+ ex.getMessage() + ")");
		}
	}

	// Not synchronized: while Redis cannot be reached, every call fails as fast as a
	// script call would, instead of queueing behind another one's timeout.
	private boolean decide() {
		byte[] probe = this.scripts.values()
			.iterator()
			.next()
			.keyLocking()
			.getScriptAsString()
			.getBytes(StandardCharsets.UTF_8);
		String refusal = null;
		try {
			this.redis
				.execute((RedisCallback<String>) (connection) -> connection.scriptingCommands().scriptLoad(probe));
		}
		catch (DataAccessException ex) {
			refusal = serverRefusal(ex);
			if (refusal == null) {
				throw ex;
			}
		}
		if (this.keyLocking.compareAndSet(null, refusal == null)) {
			logger.info((refusal == null)
					? "Redis accepts the Lua script flag allow-key-locking: scripts run with it "
							+ "and lock only their keys on Upstash"
					: "Redis refuses the Lua script flag allow-key-locking (" + refusal + "): scripts run without it");
		}
		return this.keyLocking.get();
	}

	/**
	 * The server's error reply, or {@code null} when the failure is not an answer from
	 * Redis (a lost connection, a timeout), which decides nothing.
	 */
	private static String serverRefusal(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RedisCommandExecutionException) {
				return cause.getMessage();
			}
		}
		return null;
	}

	/** A script with and without its first line. */
	private record Variants(RedisScript<List<Long>> keyLocking, RedisScript<List<Long>> plain) {

		/**
		 * Read once: a script built from a Resource re-checks the file on every call,
		 * which inside a jar costs a failed lookup and an exception per request.
		 */
		@SuppressWarnings({ "rawtypes", "unchecked" })
		static Variants read(String name) {
			String source;
			try {
				source = new ClassPathResource("scripts/" + name).getContentAsString(StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read script " + name, ex);
			}
			if (!source.startsWith(KEY_LOCKING + "\n")) {
				throw new IllegalStateException("Script " + name + " must begin with " + KEY_LOCKING);
			}
			String plain = source.substring(KEY_LOCKING.length());
			return new Variants((RedisScript) RedisScript.of(source, List.class),
					(RedisScript) RedisScript.of(plain, List.class));
		}

	}

}
