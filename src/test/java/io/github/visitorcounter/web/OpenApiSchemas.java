package io.github.visitorcounter.web;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Just enough of OpenAPI schema validation for this API's documents: {@code $ref},
 * {@code type} (also as a list), {@code required}, {@code properties},
 * {@code additionalProperties}, {@code items} and {@code enum}.
 */
class OpenApiSchemas {

	private final JsonNode spec;

	OpenApiSchemas(JsonNode spec) {
		this.spec = spec;
	}

	JsonNode responseSchema(String method, String path, int status, String mediaType) {
		JsonNode responses = this.spec.path("paths").path(path).path(method).path("responses");
		JsonNode response = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status))
				: responses.get("default");
		if (response == null) {
			return null;
		}
		JsonNode content = response.path("content");
		JsonNode media = content.has(mediaType) ? content.get(mediaType) : content.get("*/*");
		return (media != null) ? media.get("schema") : null;
	}

	List<String> violations(JsonNode schema, JsonNode value) {
		List<String> violations = new ArrayList<>();
		check(schema, value, "$", violations);
		return violations;
	}

	private void check(JsonNode schema, JsonNode value, String at, List<String> violations) {
		JsonNode resolved = resolve(schema);
		JsonNode type = resolved.get("type");
		if (type != null && !typeMatches(type, value)) {
			violations.add(at + ": expected " + type + " but was " + value.getNodeType());
			return;
		}
		if (resolved.has("enum") && value.isString()) {
			boolean listed = false;
			for (JsonNode option : resolved.get("enum")) {
				listed |= option.asString().equals(value.asString());
			}
			if (!listed) {
				violations.add(at + ": " + value + " is not one of " + resolved.get("enum"));
			}
		}
		if (value.isObject()) {
			for (JsonNode required : resolved.path("required")) {
				if (!value.has(required.asString())) {
					violations.add(at + ": missing required " + required.asString());
				}
			}
			JsonNode properties = resolved.path("properties");
			for (String name : value.propertyNames()) {
				if (properties.has(name)) {
					check(properties.get(name), value.get(name), at + "." + name, violations);
				}
				else if (resolved.has("additionalProperties") && resolved.get("additionalProperties").isObject()) {
					check(resolved.get("additionalProperties"), value.get(name), at + "." + name, violations);
				}
				else if (!properties.isMissingNode() && !resolved.has("additionalProperties")) {
					violations.add(at + ": undocumented property " + name);
				}
			}
		}
		if (value.isArray() && resolved.has("items")) {
			for (int i = 0; i < value.size(); i++) {
				check(resolved.get("items"), value.get(i), at + "[" + i + "]", violations);
			}
		}
	}

	private JsonNode resolve(JsonNode schema) {
		JsonNode current = schema;
		while (current.has("$ref")) {
			current = this.spec.at(current.get("$ref").asString().substring(1));
		}
		return current;
	}

	private static boolean typeMatches(JsonNode type, JsonNode value) {
		if (type.isArray()) {
			for (JsonNode option : type) {
				if (typeMatches(option, value)) {
					return true;
				}
			}
			return false;
		}
		return switch (type.asString()) {
			case "object" -> value.isObject();
			case "array" -> value.isArray();
			case "string" -> value.isString();
			case "integer" -> value.isIntegralNumber();
			case "number" -> value.isNumber();
			case "boolean" -> value.isBoolean();
			case "null" -> value.isNull();
			default -> true;
		};
	}

}
