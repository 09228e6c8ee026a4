package io.github.visitorcounter.system;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.StringUtils;

/**
 * Serves {@code REDIS_CLUSTER_NODES} as {@code spring.data.redis.cluster.nodes}, but only
 * when it lists nodes. A plain {@code ${REDIS_CLUSTER_NODES:}} placeholder in
 * {@code application.properties} would not do: Spring Boot switches to cluster mode as
 * soon as that property is bound, even to an empty list, and standalone mode through
 * {@code REDIS_URL} would break.
 */
class RedisClusterNodesEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String CLUSTER_NODES = "REDIS_CLUSTER_NODES";

	static final String CLUSTER_NODES_PROPERTY = "spring.data.redis.cluster.nodes";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// Last, so that an explicit spring.data.redis.cluster.nodes wins.
		environment.getPropertySources().addLast(new ClusterNodesPropertySource(environment));
	}

	/**
	 * Looks {@code REDIS_CLUSTER_NODES} up on every read rather than once at start-up, so
	 * that it is found in every property source, including those added later. The
	 * environment is not its source: Spring Boot would descend into it and loop.
	 */
	static class ClusterNodesPropertySource extends PropertySource<Object> {

		private final Environment environment;

		ClusterNodesPropertySource(Environment environment) {
			super("redisClusterNodes");
			this.environment = environment;
		}

		@Override
		public Object getProperty(String name) {
			if (!CLUSTER_NODES_PROPERTY.equals(name)) {
				return null;
			}
			String nodes = this.environment.getProperty(CLUSTER_NODES);
			return StringUtils.hasText(nodes) ? nodes : null;
		}

	}

}
