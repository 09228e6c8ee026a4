package io.github.visitorcounter.visitor;

import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Service;

/**
 * Counts distinct visitors per counter in Redis.
 */
@Service
class VisitorCounter {

	private final StringRedisTemplate redis;

	private final RedisScript<List<Long>> registerVisitScript;

	private final VisitorKeys keys;

	private final String dedupeTtlSeconds;

	VisitorCounter(StringRedisTemplate redis, RedisScript<List<Long>> registerVisitScript, VisitorKeys keys,
			VisitorProperties properties) {
		this.redis = redis;
		this.registerVisitScript = registerVisitScript;
		this.keys = keys;
		this.dedupeTtlSeconds = Long.toString(properties.dedupeTtlSeconds());
	}

	/**
	 * Counts the visitor unless it was seen before, in one atomic script call (one Redis
	 * command).
	 */
	Visit register(String counter, String visitorId) {
		List<Long> result = this.redis.execute(this.registerVisitScript,
				List.of(this.keys.count(counter), this.keys.seen(counter, visitorId)), this.dedupeTtlSeconds);
		return new Visit(counter, result.get(1), result.get(0) == 1L);
	}

	long count(String counter) {
		String count = this.redis.opsForValue().get(this.keys.count(counter));
		return (count != null) ? Long.parseLong(count) : 0;
	}

	record Visit(String counter, long count, boolean newVisitor) {
	}

}
