package io.github.visitorcounter.visitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

	// Read once: a script built from a Resource re-checks the file on every call, which
	// inside a jar costs a
	// failed lookup and an exception per request.
	@Bean
	@SuppressWarnings({ "rawtypes", "unchecked" })
	RedisScript<List<Long>> registerVisitScript() throws IOException {
		String source = new ClassPathResource("scripts/register-visit.lua").getContentAsString(StandardCharsets.UTF_8);
		return (RedisScript) RedisScript.of(source, List.class);
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
