package io.github.visitorcounter.system;

import java.time.Duration;

import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.data.redis.health.DataRedisHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.event.EventListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Asks Redis how it is at most once per interval, however often the platform polls
 * readiness: on a Redis that bills per command, a probe every second would otherwise be
 * most of an idle instance's bill. Only a healthy answer is kept, and a dropped
 * connection or a request that Redis failed ({@link StorageFailed}) forgets it, so a
 * Redis that went away or hangs shows at the next probe.
 */
@Configuration(proxyBeanMethods = false)
class RedisHealthConfiguration {

	/**
	 * Named as Spring Boot's own, which then backs off; the indicator is still "redis".
	 */
	@Bean
	CachedHealthIndicator redisHealthIndicator(RedisConnectionFactory connectionFactory,
			ClientResources clientResources, HealthProperties properties) {
		CachedHealthIndicator cached = new CachedHealthIndicator(new DataRedisHealthIndicator(connectionFactory),
				properties.redisCheckInterval());
		clientResources.eventBus()
			.get()
			.filter(DisconnectedEvent.class::isInstance)
			.subscribe((event) -> cached.forget());
		return cached;
	}

	static final class CachedHealthIndicator implements HealthIndicator {

		private static final Log logger = LogFactory.getLog(CachedHealthIndicator.class);

		private final HealthIndicator delegate;

		private final long intervalNanos;

		private volatile Health healthy;

		private volatile long checkedAt;

		private volatile Status lastStatus = Status.UP;

		CachedHealthIndicator(HealthIndicator delegate, Duration interval) {
			this.delegate = delegate;
			this.intervalNanos = interval.toNanos();
		}

		@Override
		public Health health() {
			Health cached = this.healthy;
			if (cached != null && System.nanoTime() - this.checkedAt < this.intervalNanos) {
				return cached;
			}
			Health health = this.delegate.health();
			this.healthy = Status.UP.equals(health.getStatus()) ? health : null;
			this.checkedAt = System.nanoTime();
			logChange(health);
			return health;
		}

		/**
		 * One short line when Redis's health changes, in place of Spring Boot's stack
		 * trace on every failed check (turned off in application.properties): during an
		 * outage the platform polls, and anyone may.
		 */
		private void logChange(Health health) {
			Status previous = this.lastStatus;
			this.lastStatus = health.getStatus();
			if (!health.getStatus().equals(previous)) {
				Object error = health.getDetails().get("error");
				logger.warn("Redis health: " + health.getStatus() + ((error != null) ? " (" + error + ")" : ""));
			}
		}

		@EventListener(StorageFailed.class)
		void forget() {
			this.healthy = null;
		}

	}

}
