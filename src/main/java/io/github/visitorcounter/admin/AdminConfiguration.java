package io.github.visitorcounter.admin;

import java.util.List;

import io.github.visitorcounter.system.LuaScripts;
import io.github.visitorcounter.visitor.KeyedHasher;
import io.github.visitorcounter.visitor.VisitorProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The owner API: its routes answer only when {@code VISITORS_ADMIN_TOKEN} is set, and are
 * plain 404s otherwise (see {@link AdminAuthentication}).
 */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

	@Bean
	RedisScript<List<Long>> adminFailuresScript() {
		return LuaScripts.returningIntegers("admin-failures.lua");
	}

	@Bean
	AdminAuthentication adminAuthentication(AdminProperties admin, VisitorProperties visitors,
			StringRedisTemplate redis, RedisScript<List<Long>> adminFailuresScript, KeyedHasher keyedHasher) {
		return new AdminAuthentication(admin.adminToken(), redis, adminFailuresScript, keyedHasher,
				visitors.keyPrefix());
	}

	// Lazy: MVC configuration is assembled early, and the interceptor must not pull Redis
	// in with it.
	@Bean
	WebMvcConfigurer adminAuthenticationInterceptor(@Lazy AdminAuthentication authentication) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(authentication).addPathPatterns("/api/admin/**");
			}

		};
	}

}
