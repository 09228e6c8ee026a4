package floor;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The stack floor: what Spring Boot, Tomcat, Spring MVC, Jackson and Lettuce cost for the benchmark's requests
 * when the handler does nothing else. No validation, privacy checks, rate limits, metrics, observation or
 * security filters: the visitor counter does all of those, so the gap between this and the app is the app's own
 * work, and the gap between this and the Node.js peer is the stack's.
 */
@SpringBootApplication
@RestController
public class FloorApplication {

	private static final String REGISTER = "if redis.call('SET', KEYS[2], '1', 'NX') then "
			+ "return {redis.call('INCR', KEYS[1]), 1} end "
			+ "return {tonumber(redis.call('GET', KEYS[1]) or '0'), 0}";

	private static final String COUNT = "floor:{default}:count";

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private final AtomicLong count = new AtomicLong();

	private final StringRedisTemplate redis;

	private final RedisScript<List> script = RedisScript.of(REGISTER, List.class);

	private final String mode;

	private final RedisAsyncCommands<String, String> async;

	private final String sha;

	FloorApplication(StringRedisTemplate redis, @Value("${floor.mode}") String mode,
			@Value("${spring.data.redis.url}") String url) {
		this.redis = redis;
		this.mode = mode;
		// Lettuce's own String-codec connection (Spring Data's native one speaks byte[]).
		this.async = mode.equals("redis-async") ? RedisClient.create(url).connect().async() : null;
		this.sha = (this.async != null) ? this.async.getStatefulConnection().sync().scriptLoad(REGISTER) : null;
	}

	@PostMapping("/api/visitors")
	Object register(@RequestBody Visit visit) {
		String seenKey = "floor:{default}:seen:" + visit.visitorId();
		switch (this.mode) {
			case "memory" -> {
				boolean isNew = this.seen.add(visit.visitorId());
				return new Registered("default", isNew ? this.count.incrementAndGet() : this.count.get(), isNew);
			}
			case "redis" -> {
				List<?> result = this.redis.execute(this.script, List.of(COUNT, seenKey));
				return registered(result);
			}
			case "redis-async" -> {
				return this.async.<List<?>>evalsha(this.sha, ScriptOutputType.MULTI, COUNT, seenKey)
					.thenApply(FloorApplication::registered);
			}
			default -> throw new IllegalStateException("unknown floor.mode " + this.mode);
		}
	}

	@GetMapping("/api/visitors")
	Count count() {
		if (this.mode.equals("memory")) {
			return new Count("default", this.count.get());
		}
		return new Count("default", Long.parseLong(Objects.requireNonNullElse(this.redis.opsForValue().get(COUNT), "0")));
	}

	private static Registered registered(List<?> result) {
		return new Registered("default", (Long) result.get(0), ((Long) result.get(1)) == 1);
	}

	public static void main(String[] args) {
		SpringApplication.run(FloorApplication.class, args);
	}

	record Visit(String visitorId) {
	}

	record Registered(String counter, long count, boolean newVisitor) {
	}

	record Count(String counter, long count) {
	}

}
