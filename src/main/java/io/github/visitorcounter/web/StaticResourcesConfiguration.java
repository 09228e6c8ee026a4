package io.github.visitorcounter.web;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The embeddable script is loaded on every page view of every site that embeds it: let
 * browsers and CDNs keep it for an hour, and revalidate it after that for a day while
 * serving the cached copy.
 */
@Configuration(proxyBeanMethods = false)
class StaticResourcesConfiguration implements WebMvcConfigurer {

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler("/visitor-counter.js")
			.addResourceLocations("classpath:/static/")
			.setCacheControl(
					CacheControl.maxAge(Duration.ofHours(1)).cachePublic().staleWhileRevalidate(Duration.ofDays(1)));
	}

}
