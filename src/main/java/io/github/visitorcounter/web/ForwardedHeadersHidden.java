package io.github.visitorcounter.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides {@code Forwarded} and {@code X-Forwarded-*} from the application: Tomcat reads
 * them, from trusted proxies only ({@code server.forward-headers-strategy=native}), into
 * the request's address, scheme, host and port. Read again by a library (springdoc's
 * redirects and server URLs), they were taken from anyone, and a malformed one (a port
 * that is no number) was a 500. After Spring Boot's own filter, which reads them with
 * {@code server.forward-headers-strategy=framework}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ForwardedHeadersHidden extends OncePerRequestFilter {

	private final ForwardedHeaderFilter remover = new ForwardedHeaderFilter();

	ForwardedHeadersHidden() {
		this.remover.setRemoveOnly(true);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		this.remover.doFilter(request, response, chain);
	}

}
