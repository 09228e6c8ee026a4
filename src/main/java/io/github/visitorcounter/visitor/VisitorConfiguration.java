package io.github.visitorcounter.visitor;

import java.time.Clock;
import java.util.List;

import io.github.visitorcounter.system.LuaScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.script.RedisScript;

@Configuration(proxyBeanMethods = false)
class VisitorConfiguration {

	private static final Log logger = LogFactory.getLog(VisitorConfiguration.class);

	@Bean
	RedisScript<List<Long>> registerVisitScript() {
		return LuaScripts.returningIntegers("register-visit.lua");
	}

	/** Decides which day a visit belongs to; tests replace it to simulate days. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	KeyedHasher keyedHasher(VisitorProperties properties) {
		if (!properties.hasIdSecret()) {
			logger.warn("VISITORS_ID_SECRET is not set: visitor ids are hashed with the built-in default key. "
					+ "Set it to a long random value before going live; changing it later makes every visitor count again.");
		}
		return new KeyedHasher(properties.effectiveIdSecret());
	}

	@Bean
	VisitorKeys visitorKeys(VisitorProperties properties, KeyedHasher keyedHasher) {
		return new VisitorKeys(properties.keyPrefix(), keyedHasher);
	}

}
