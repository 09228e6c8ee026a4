package io.github.visitorcounter.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS by explicit allow-list ({@code VISITORS_ALLOWED_ORIGINS}). A cross-origin request
 * from any other origin is refused with 403 before it reaches the API, so it can never
 * count a visit. Requests without an {@code Origin} (curl, servers) and same-origin
 * requests are not CORS requests and pass.
 */
@Configuration(proxyBeanMethods = false)
class AllowedOriginsConfiguration {

	@Bean
	FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties properties, JsonMapper jsonMapper) {
		CorsConfiguration api = new CorsConfiguration();
		api.setAllowedOrigins(properties.allowedOrigins());
		api.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.POST.name()));
		api.setAllowedHeaders(List.of(HttpHeaders.CONTENT_TYPE, "Last-Event-ID"));
		api.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, "RateLimit-Limit", "RateLimit-Remaining",
				"RateLimit-Reset", VisitHeaders.VISIT_NOT_COUNTED));
		api.setMaxAge(Duration.ofHours(1));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", api);
		CorsFilter filter = new CorsFilter(source);
		filter.setCorsProcessor(new ProblemCorsProcessor(jsonMapper));
		FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	/**
	 * Spring's processor answers a refused request with a plain-text body; this one
	 * answers with the same problem document as every other error.
	 */
	static class ProblemCorsProcessor extends DefaultCorsProcessor {

		private final byte[] body;

		ProblemCorsProcessor(JsonMapper jsonMapper) {
			this.body = jsonMapper.writeValueAsBytes(ProblemType.ORIGIN_NOT_ALLOWED.problem());
		}

		@Override
		protected void rejectRequest(ServerHttpResponse response) throws IOException {
			response.setStatusCode(ProblemType.ORIGIN_NOT_ALLOWED.status());
			response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			response.getHeaders().setCacheControl(ProblemType.CACHE_CONTROL);
			response.getBody().write(this.body);
			response.flush();
		}

	}

}
