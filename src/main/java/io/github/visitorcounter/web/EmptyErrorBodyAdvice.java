package io.github.visitorcounter.web;

import java.net.URI;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Gives an error a handler answers without a body (the actuator's 404 for an unknown
 * health group, say) the problem document every other error has.
 */
@RestControllerAdvice
class EmptyErrorBodyAdvice implements ResponseBodyAdvice<Object> {

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
			Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body != null || !(response instanceof ServletServerHttpResponse servlet)
				|| servlet.getServletResponse().getStatus() < 400) {
			return body;
		}
		int status = servlet.getServletResponse().getStatus();
		ProblemDetail problem = ProblemType.forStatus(status).problem();
		problem.setStatus(status);
		problem.setInstance(URI.create(request.getURI().getRawPath()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setCacheControl(ProblemType.CACHE_CONTROL);
		return problem;
	}

}
