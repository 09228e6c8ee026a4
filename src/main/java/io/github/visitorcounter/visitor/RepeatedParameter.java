package io.github.visitorcounter.visitor;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The values of a query parameter that may be repeated, each as it was sent. Spring MVC
 * would split a single value at its commas and trim it ({@code ?path=/a,b} as two pages,
 * {@code ?path=/a%20} as {@code /a}), but not one of several: a page's path may hold
 * both, and must read the same alone or with others.
 */
final class RepeatedParameter {

	private RepeatedParameter() {
	}

	static List<String> values(HttpServletRequest request, String name) {
		String[] values = request.getParameterValues(name);
		return (values != null) ? List.of(values) : List.of();
	}

}
