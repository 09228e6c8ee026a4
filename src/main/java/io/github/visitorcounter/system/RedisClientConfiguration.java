package io.github.visitorcounter.system;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SocketOptions.KeepAliveOptions;
import io.lettuce.core.SocketOptions.TcpUserTimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties.Lettuce.Cluster.Refresh;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the Redis client fail fast and recover by itself: a dead or unreachable Redis
 * must turn into quick 503s, never into hung requests, and the service must come back
 * without a restart. In cluster mode the same holds for each node, and a failover is
 * followed within seconds.
 */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

	private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Least time between two adaptive topology refreshes. Lettuce's default of 30 s is
	 * too long: the first refresh, triggered as soon as a master is lost, comes before
	 * its replica is promoted, and the next one would then find the new master only 30 s
	 * later.
	 */
	private static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

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

	/**
	 * Applies to cluster mode only, where Spring Boot hands over a
	 * {@link ClusterClientOptions.Builder} with the topology refresh of
	 * {@code spring.data.redis.lettuce.cluster.refresh.*}. Boot has no setting for the
	 * adaptive refresh rate limit and the builder cannot be read back, so this rebuilds
	 * the refresh options from the same properties.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer clusterTopologyRefresh(DataRedisProperties properties) {
		return (builder) -> {
			if (builder instanceof ClusterClientOptions.Builder cluster) {
				Refresh refresh = properties.getLettuce().getCluster().getRefresh();
				ClusterTopologyRefreshOptions.Builder topology = ClusterTopologyRefreshOptions.builder()
					.dynamicRefreshSources(refresh.isDynamicRefreshSources())
					.adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT);
				if (refresh.getPeriod() != null) {
					topology.enablePeriodicRefresh(refresh.getPeriod());
				}
				if (refresh.isAdaptive()) {
					topology.enableAllAdaptiveRefreshTriggers();
				}
				// A killed master stays in the cluster's node table, flagged as failed.
				// Leaving it out of the topology closes the client's connection to it,
				// which would otherwise try to reconnect (and trigger refreshes) forever.
				cluster.topologyRefreshOptions(topology.build()).nodeFilter(RedisClientConfiguration::isReachable);
			}
		};
	}

	private static boolean isReachable(RedisClusterNode node) {
		return !(node.is(NodeFlag.FAIL) || node.is(NodeFlag.EVENTUAL_FAIL) || node.is(NodeFlag.NOADDR));
	}

	@Bean
	ClientResourcesBuilderCustomizer quickReconnect() {
		// Lettuce backs off up to 30 s by default; cap it so a restarted Redis is used
		// again within a second.
		return (builder) -> builder
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
	}

}
