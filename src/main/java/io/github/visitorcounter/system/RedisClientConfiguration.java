package io.github.visitorcounter.system;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SocketOptions.KeepAliveOptions;
import io.lettuce.core.SocketOptions.TcpUserTimeoutOptions;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the Redis client fail fast and recover by itself: a dead or unreachable Redis
 * must turn into quick 503s, never into hung requests, and the service must come back
 * without a restart.
 */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

	private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	@Bean
	LettuceClientOptionsBuilderCustomizer failFastClientOptions(DataRedisProperties properties) {
		Duration connectTimeout = (properties.getConnectTimeout() != null) ? properties.getConnectTimeout()
				: DEFAULT_CONNECT_TIMEOUT;
		// Keep-alive probes and TCP_USER_TIMEOUT (native epoll) find a silently dead peer
		// in seconds, not the
		// kernel's ~15 minutes of retransmissions.
		SocketOptions socketOptions = SocketOptions.builder()
			.connectTimeout(connectTimeout)
			.keepAlive(KeepAliveOptions.builder()
				.enable()
				.idle(Duration.ofSeconds(15))
				.interval(Duration.ofSeconds(5))
				.count(3)
				.build())
			.tcpUserTimeout(TcpUserTimeoutOptions.builder().enable().tcpUserTimeout(Duration.ofSeconds(20)).build())
			.build();
		// While disconnected, reject commands at once instead of queueing them: a queued
		// visit could be
		// replayed after its request was already answered with an error.
		return (builder) -> builder.socketOptions(socketOptions)
			.disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	ClientResourcesBuilderCustomizer quickReconnect() {
		// Lettuce backs off up to 30 s by default; cap it so a restarted Redis is used
		// again within a second.
		return (builder) -> builder
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
	}

}
