package io.github.visitorcounter.web;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.JacksonException;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/**
 * What to tell a client whose request body could not be read: the shape its route takes,
 * from the route's body record, and the field that held the wrong type when the parser
 * knows it. One route's example would mislead on another (an owner setting a count is not
 * sending a visitor id).
 */
final class MalformedBody {

	private MalformedBody() {
	}

	/**
	 * @param handler the handler the request was mapped to, if any
	 * @param failure why the body could not be read
	 */
	static String detail(Object handler, Throwable failure) {
		Class<?> body = bodyType(handler);
		if (body == null || !body.isRecord()) {
			return ProblemType.MALFORMED_BODY.detail();
		}
		String example = Arrays.stream(body.getRecordComponents())
			.map((component) -> "\"" + component.getName() + "\":" + exampleValue(component))
			.collect(Collectors.joining(",", "{", "}"));
		String field = wrongField(failure, body);
		return "The request body must be a JSON object such as " + example + "."
				+ ((field != null) ? " Its field " + field + " has the wrong type." : "");
	}

	private static Class<?> bodyType(Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return null;
		}
		for (MethodParameter parameter : method.getMethodParameters()) {
			if (parameter.hasParameterAnnotation(RequestBody.class)) {
				return parameter.getParameterType();
			}
		}
		return null;
	}

	private static String exampleValue(RecordComponent component) {
		if (component.getType() == String.class) {
			return "\"...\"";
		}
		Schema schema = component.getAccessor().getAnnotation(Schema.class);
		return (schema != null && !schema.example().isEmpty()) ? schema.example() : "0";
	}

	/** The body's own field the parser failed at, if it says. */
	private static String wrongField(Throwable failure, Class<?> body) {
		List<String> fields = Arrays.stream(body.getRecordComponents()).map(RecordComponent::getName).toList();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
				String field = jackson.getPath().get(0).getPropertyName();
				return fields.contains(field) ? field : null;
			}
		}
		return null;
	}

}
