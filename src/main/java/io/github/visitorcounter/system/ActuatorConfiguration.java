package io.github.visitorcounter.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.handler.MappedInterceptor;

/**
 * The actuator's answers are of now, and never stored: a cache that kept a readiness 503
 * would hold an instance out of rotation after Redis came back, and one that kept a 200
 * would hold it in after Redis went.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorConfiguration {

	@Bean
	MappedInterceptor actuatorAnswersNotStored(
			@Value("${management.endpoints.web.base-path:/actuator}") String basePath) {
		return new MappedInterceptor(new String[] { basePath + "/**" }, new NotStored());
	}

	private static final class NotStored implements HandlerInterceptor {

		@Override
		public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
			return true;
		}

	}

}
