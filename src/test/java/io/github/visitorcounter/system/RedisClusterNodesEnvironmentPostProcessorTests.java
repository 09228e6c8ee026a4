package io.github.visitorcounter.system;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code REDIS_CLUSTER_NODES} switches to cluster mode only when it lists nodes: Spring
 * Boot is in cluster mode as soon as {@code spring.data.redis.cluster} binds at all.
 */
class RedisClusterNodesEnvironmentPostProcessorTests {

	@Test
	void switchesToClusterModeWhenNodesAreListed() {
		DataRedisProperties properties = bind(Map.of("REDIS_CLUSTER_NODES", "10.0.0.1:7000,10.0.0.2:7001"));
		assertThat(properties.getCluster()).isNotNull();
		assertThat(properties.getCluster().getNodes()).containsExactly("10.0.0.1:7000", "10.0.0.2:7001");
	}

	@Test
	void staysStandaloneWhenUnset() {
		assertThat(bind(Map.of()).getCluster()).isNull();
	}

	@Test
	void staysStandaloneWhenEmptyOrBlank() {
		assertThat(bind(Map.of("REDIS_CLUSTER_NODES", "")).getCluster()).isNull();
		assertThat(bind(Map.of("REDIS_CLUSTER_NODES", "  ")).getCluster()).isNull();
	}

	@Test
	void leavesAnExplicitSpringPropertyInCharge() {
		DataRedisProperties properties = bind(
				Map.of("REDIS_CLUSTER_NODES", "10.0.0.1:7000", "spring.data.redis.cluster.nodes", "10.0.0.9:7009"));
		assertThat(properties.getCluster().getNodes()).containsExactly("10.0.0.9:7009");
	}

	private static DataRedisProperties bind(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new RedisClusterNodesEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return Binder.get(environment).bindOrCreate("spring.data.redis", DataRedisProperties.class);
	}

}
