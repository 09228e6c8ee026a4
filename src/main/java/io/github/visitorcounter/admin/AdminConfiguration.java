package io.github.visitorcounter.admin;

import java.io.IOException;
import io.github.visitorcounter.web.LargeBodyRoute;
import io.github.visitorcounter.counter.AdminFailuresScript;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The owner API: its routes answer only when {@code VISITORS_ADMIN_TOKEN} is set, and are
 * plain 404s otherwise. Decided per request, not by a bean condition, so that a Spring
 * AOT start (whose conditions are fixed when the jar is built) behaves the same.
 */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

	/**
	 * Without a token, answers every owner path like an unknown one, before Spring MVC
	 * could give the API away with a 405 (wrong method) or a 415 (wrong body type).
	 */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> ownerApiOnlyWithAToken(AdminProperties admin) {
		OncePerRequestFilter filter = new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				if (admin.hasToken()) {
					chain.doFilter(request, response);
				}
				else {
					response.sendError(HttpStatus.NOT_FOUND.value());
				}
			}

		};
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/api/admin", "/api/admin/*");
		return registration;
	}

	/** Without a token, the API description leaves the owner API out as well. */
	@Bean
	OpenApiCustomizer ownerApiDescribedOnlyWithAToken(AdminProperties admin) {
		return (openApi) -> {
			if (!admin.hasToken()) {
				openApi.getPaths().keySet().removeIf((path) -> path.startsWith("/api/admin"));
				if (openApi.getTags() != null) {
					openApi.getTags().removeIf((tag) -> "owner".equals(tag.getName()));
				}
			}
		};
	}

	/** The import reads a whole export itself, after authentication. */
	@Bean
	LargeBodyRoute importBody(AdminProperties admin) {
		return new LargeBodyRoute(OwnerCounts.IMPORT_PATH, admin.adminImportMaxSize().toBytes());
	}

	@Bean
	AdminAuthentication adminAuthentication(AdminProperties admin, AdminFailuresScript failures) {
		return new AdminAuthentication(admin.hasToken() ? admin.adminToken() : null, failures);
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
