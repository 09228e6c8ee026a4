package io.github.visitorcounter.web;

import java.beans.PropertyEditor;
import java.beans.PropertyEditorSupport;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.support.WebBindingInitializer;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Reads query parameters as strictly as {@link StrictJsonConfiguration} reads bodies: a
 * number is plain decimal digits (no sign, leading zero, space or other script's digits),
 * and a parameter a handler takes once may be given once, and not empty (an empty
 * {@code label=} is a mistake, not a request for the default).
 */
@Configuration(proxyBeanMethods = false)
class StrictParametersConfiguration implements WebMvcConfigurer {

	private static final Pattern PLAIN_DECIMAL = Pattern.compile("0|[1-9][0-9]{0,8}");

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new SingleValuedParameters());
	}

	/**
	 * Numbers in plain decimal digits, in every binder Spring MVC makes. An editor, not a
	 * converter: Spring falls back from a converter that refuses a value to its lenient
	 * default editor (which takes {@code " 5"} or {@code "+5"}), but not from an editor
	 * registered for the type. Registered by the binders' initializer, not an
	 * {@code @InitBinder} advice, for which Spring MVC builds an invocable method on
	 * every request: that cost every GET and POST about 5% of its CPU.
	 */
	@Bean
	static BeanPostProcessor plainDecimalNumbers() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof RequestMappingHandlerAdapter adapter) {
					WebBindingInitializer initializer = adapter.getWebBindingInitializer();
					adapter.setWebBindingInitializer((binder) -> {
						if (initializer != null) {
							initializer.initBinder(binder);
						}
						registerPlainDecimalEditor(binder);
					});
				}
				return bean;
			}

		};
	}

	private static void registerPlainDecimalEditor(WebDataBinder binder) {
		PropertyEditor plainDecimal = new PropertyEditorSupport() {

			@Override
			public void setAsText(String text) {
				if (!PLAIN_DECIMAL.matcher(text).matches()) {
					throw new IllegalArgumentException("Not a plain decimal number");
				}
				setValue(Integer.valueOf(text));
			}

		};
		binder.registerCustomEditor(int.class, plainDecimal);
		binder.registerCustomEditor(Integer.class, plainDecimal);
	}

	/**
	 * Refuses a repeated or empty value of a single-valued {@link RequestParam} before
	 * the handler runs.
	 */
	static class SingleValuedParameters implements HandlerInterceptor {

		@Override
		public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
			if (!(handler instanceof HandlerMethod method)) {
				return true;
			}
			Map<String, String> errors = new LinkedHashMap<>();
			for (MethodParameter parameter : method.getMethodParameters()) {
				RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
				if (annotation == null || multiValued(parameter)) {
					continue;
				}
				String name = StringUtils.hasLength(annotation.name()) ? annotation.name()
						: StringUtils.hasLength(annotation.value()) ? annotation.value() : parameter.getParameterName();
				String[] values = request.getParameterValues(name);
				if (values != null && values.length > 1) {
					errors.put(name, "must be given once");
				}
				else if (values != null && values[0].isEmpty()) {
					errors.put(name, "must not be empty");
				}
			}
			if (!errors.isEmpty()) {
				throw new InvalidRequestException(errors);
			}
			return true;
		}

		private static boolean multiValued(MethodParameter parameter) {
			Class<?> type = parameter.getParameterType();
			return type.isArray() || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
		}

	}

}
