package io.github.visitorcounter.testing;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * For end-to-end tests of an application on a random port against the shared test Redis:
 * every test starts from an empty Redis, with a client for the application.
 */
@Import(TestRedisConfiguration.class)
public abstract class ApiTestSupport {

	@LocalServerPort
	protected int port;

	@Autowired
	protected StringRedisTemplate redis;

	protected ApiClient api;

	@BeforeEach
	protected void startFromAnEmptyRedis() {
		this.api = new ApiClient(this.port);
		TestRedisConfiguration.flushAll(this.redis);
	}

}
