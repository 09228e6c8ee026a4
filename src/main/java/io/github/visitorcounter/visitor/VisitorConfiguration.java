package io.github.visitorcounter.visitor;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

@Configuration(proxyBeanMethods = false)
class VisitorConfiguration {

	private static final Log logger = LogFactory.getLog(VisitorConfiguration.class);

	@Bean
	@SuppressWarnings({ "rawtypes", "unchecked" })
	RedisScript<List<Long>> registerVisitScript() {
		return (RedisScript) RedisScript.of(new ClassPathResource("scripts/register-visit.lua"), List.class);
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
