package io.github.visitorcounter.counter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.visitorcounter.testing.RedisMonitor;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.counter.RegistrationScript.Limits;
import io.github.visitorcounter.counter.RegistrationScript.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Both variants of the scripts: with the flag {@code allow-key-locking} where the server
 * takes it (Upstash, stood in for by {@link ScriptFlagProxy}), without it on stock Redis,
 * which refuses it; and the rule that comes with the flag, that a script touches no key
 * but its {@code KEYS}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LuaScriptsTests {

	private static final CounterProperties DEFAULTS = new CounterProperties("visitors", null, null);

	private static final Limits NO_LIMITS = new Limits(0, Duration.ofSeconds(10), 0, Duration.ofHours(1));

	@AutoClose
	private static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	@AutoClose
	private static final ScriptFlagProxy upstash = new ScriptFlagProxy(redis);

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	@AfterEach
	void closeConnections() {
		this.connections.forEach(LettuceConnectionFactory::destroy);
	}

	@Test
	void runsTheScriptsWithoutTheFlagOnARedisThatRefusesIt(CapturedOutput output) {
		StringRedisTemplate template = template(redis.url());
		LuaScripts scripts = scripts(template);
		assertThat(scripts.keyLocking()).isFalse();
		assertThat(output).contains("Redis refuses the Lua script flag allow-key-locking "
				+ "(ERR Unexpected flag in script shebang: allow-key-locking): scripts run without it");
		assertThat(scripts.returningIntegers(RegistrationScript.SCRIPT).getScriptAsString()).startsWith("\n--");
		assertCountsOnce(registration(template, scripts, DEFAULTS, NO_LIMITS), "plain");
	}

	@Test
	void runsTheScriptsWithTheFlagWhereRedisAcceptsIt(CapturedOutput output) {
		StringRedisTemplate template = template(upstash.url());
		LuaScripts scripts = scripts(template);
		assertThat(scripts.keyLocking()).isTrue();
		assertThat(output).contains("Redis accepts the Lua script flag allow-key-locking");
		String flagged = scripts.returningIntegers(RegistrationScript.SCRIPT).getScriptAsString();
		assertThat(flagged).startsWith(LuaScripts.KEY_LOCKING + "\n--");
		assertCountsOnce(registration(template, scripts, DEFAULTS, NO_LIMITS), "flagged");
		assertThat(upstash.commands()).contains(List.of("SCRIPT", "LOAD", flagged))
			.filteredOn((command) -> command.get(0).equalsIgnoreCase("EVALSHA"))
			.isNotEmpty()
			.allSatisfy((command) -> assertThat(command.get(1)).isIn(ScriptFlagProxy.sha1(flagged),
					ScriptFlagProxy.sha1(scripts.returningIntegers(CounterRegistry.SCRIPT).getScriptAsString())));
	}

	@Test
	void decidesOnceRedisAnswersAndFailsFastUntilThen() throws Exception {
		try (RedisServer late = RedisServer.start(RedisServer.Options.plain())) {
			StringRedisTemplate template = template(late.url());
			LuaScripts scripts = scripts(template);
			// Connected before: what is timed is the probe, not the connection's set-up.
			template.execute((RedisCallback<String>) (connection) -> connection.ping());
			late.freeze();
			ExecutorService callers = Executors.newFixedThreadPool(4);
			try {
				List<Future<Duration>> calls = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					calls.add(callers.submit(() -> {
						long started = System.nanoTime();
						assertThatExceptionOfType(DataAccessException.class).isThrownBy(scripts::keyLocking);
						return Duration.ofNanos(System.nanoTime() - started);
					}));
				}
				for (Future<Duration> call : calls) {
					assertThat(call.get()).as("a call while Redis hangs, with a 1 s timeout")
						.isLessThan(Duration.ofMillis(2500));
				}
			}
			finally {
				late.thaw();
				callers.shutdownNow();
			}
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !scripts.keyLocking());
		}
	}

	@Test
	void touchesNoKeyButItsKeys() throws IOException {
		StringRedisTemplate template = template(redis.url());
		LuaScripts scripts = scripts(template);
		Limits limits = new Limits(3, Duration.ofSeconds(10), 1, Duration.ofHours(1));
		RegistrationScript forever = registration(template, scripts, DEFAULTS, limits);
		RegistrationScript thirtyDays = registration(template, scripts,
				new CounterProperties("visitors", Duration.ofDays(30), null), limits);
		// Loads the script, so that no call is refused with NOSCRIPT below.
		forever.register("warm-up", "a-visitor-0000000", "192.0.2.9", true);
		Map<String, RegistrationScript> counters = Map.of("forever", forever, "thirty-days", thirtyDays);
		counters.keySet().forEach((counter) -> {
			// Counters that exist: their admission is not what is watched here.
			template.opsForValue().set("visitors:{" + counter + "}:count", "0");
			template.opsForValue()
				.set("visitors:{" + counter + "}:seen:"
						+ RegistrationScriptTestSupport.keys(DEFAULTS).digest("a-visitor-of-before"), "1");
		});
		List<Call> calls;
		try (RedisMonitor monitor = new RedisMonitor(redis.host(), redis.port())) {
			counters.forEach((counter, script) -> {
				assertThat(script.register(counter, "a-new-visitor-00000", "192.0.2.1", true).outcome())
					.isEqualTo(Outcome.NEW);
				assertThat(script.register(counter, "a-new-visitor-00000", "192.0.2.1", true).outcome())
					.isEqualTo(Outcome.RETURNING);
				assertThat(script.register(counter, "a-capped-visitor-00", "192.0.2.1", true).outcome())
					.isEqualTo(Outcome.CAPPED);
				assertThat(script.register(counter, "a-new-visitor-00000", "192.0.2.1", true).outcome())
					.isEqualTo(Outcome.OVER_BUDGET);
				assertThat(script.register(counter, "a-visitor-of-before", "192.0.2.2", true).outcome())
					.isEqualTo(Outcome.RETURNING);
				assertThat(script.register(counter, "a-new-visitor-00000", "192.0.2.3", false).outcome())
					.isEqualTo(Outcome.NOT_COUNTABLE);
			});
			await().atMost(Duration.ofSeconds(5)).until(() -> scriptCalls(monitor).size() >= 12);
			calls = scriptCalls(monitor);
		}
		assertThat(calls).hasSize(12).allSatisfy((call) -> {
			assertThat(call.commands()).isNotEmpty();
			assertThat(call.commands()).filteredOn((command) -> !command.name().equals("time"))
				.allSatisfy((command) -> assertThat(call.keys()).as("KEYS of %s", command.arguments())
					.contains(command.arguments().get(1)));
		});
		assertThat(calls).flatMap(Call::commands)
			.extracting(RedisMonitor.Command::name)
			.contains("sadd", "sismember", "exists", "del", "pexpireat", "spublish", "zadd", "pfadd");
	}

	private void assertCountsOnce(RegistrationScript script, String counter) {
		assertThat(script.register(counter, "a-visitor-0000000", "192.0.2.1", true).outcome()).isEqualTo(Outcome.NEW);
		assertThat(script.register(counter, "a-visitor-0000000", "192.0.2.1", true).outcome())
			.isEqualTo(Outcome.RETURNING);
		assertThat(script.register(counter, "a-visitor-0000001", "192.0.2.1", true).count()).isEqualTo(2);
	}

	private StringRedisTemplate template(String url) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(url),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1)).build());
		factory.afterPropertiesSet();
		factory.start();
		this.connections.add(factory);
		return new StringRedisTemplate(factory);
	}

	private static LuaScripts scripts(StringRedisTemplate template) {
		return new LuaScripts(template, RegistrationScript.SCRIPT, CounterRegistry.SCRIPT);
	}

	private static RegistrationScript registration(StringRedisTemplate template, LuaScripts scripts,
			CounterProperties properties, Limits limits) {
		template.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
		return RegistrationScriptTestSupport.script(template, scripts, properties, limits);
	}

	/**
	 * The script calls a monitor saw, each with the keys it declared and the commands it
	 * ran, which follow it.
	 */
	private static List<Call> scriptCalls(RedisMonitor monitor) {
		List<Call> calls = new ArrayList<>();
		for (RedisMonitor.Command command : monitor.commands()) {
			if (command.fromClient() && command.name().startsWith("eval")) {
				int keys = Integer.parseInt(command.arguments().get(2));
				calls.add(new Call(command.arguments().subList(3, 3 + keys), new ArrayList<>()));
			}
			else if (!command.fromClient() && !calls.isEmpty()) {
				calls.get(calls.size() - 1).commands().add(command);
			}
		}
		return calls;
	}

	/** One script call: the keys it declared and the commands it ran. */
	private record Call(List<String> keys, List<RedisMonitor.Command> commands) {

	}

}
