package io.github.visitorcounter.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.MappedInterceptor;

/**
 * Reads request bodies strictly: a duplicated key, a number where a string belongs, or a
 * string, fraction or boolean where a whole number belongs is a malformed request, not
 * something to guess at ({"visitorId":1234567890123456789} must not become a valid id,
 * nor {"count":12.9} a count of 12). And answers in JSON only, whatever {@code Accept}
 * says: the YAML and XML converters that springdoc's dependencies bring in are removed,
 * JSON is written in UTF-8 whatever charset {@code Accept} names, and not at all to a
 * client whose {@code Accept} rules it out with quality 0.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration implements WebMvcConfigurer {

	@Bean
	JsonMapperBuilderCustomizer strictJsonInput() {
		return (builder) -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Textual,
					(strings) -> strings.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Integer,
					(integers) -> integers.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
	}

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.configureMessageConvertersList(
				(converters) -> converters.removeIf(StrictJsonConfiguration::writesAnotherStructuredFormat));
	}

	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.strategies(List.of(new AcceptedTypesWithoutParameters()));
	}

	/** On every handler mapping, the actuator's too. */
	@Bean
	MappedInterceptor qualityZeroRefused() {
		return new MappedInterceptor(null, new QualityZeroRefused());
	}

	private static boolean writesAnotherStructuredFormat(HttpMessageConverter<?> converter) {
		return converter.getSupportedMediaTypes().stream().map(MediaType::getSubtype).anyMatch((subtype) -> {
			String format = subtype.substring(subtype.lastIndexOf('+') + 1);
			return format.equals("xml") || format.endsWith("yaml") || format.equals("cbor") || format.endsWith("smile");
		});
	}

	/**
	 * Refuses, before the handler runs, to answer when {@code Accept} rules out every
	 * type the handler produces with quality 0: Spring MVC and the actuator match types
	 * whatever their quality, so {@code application/json;q=0}, alone or beside a
	 * wildcard, was answered in JSON. A type's quality is that of the most specific range
	 * that matches it (RFC 9110, 12.5.1).
	 */
	static final class QualityZeroRefused implements HandlerInterceptor {

		@Override
		public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
				throws HttpMediaTypeNotAcceptableException {
			String accept = request.getHeader(HttpHeaders.ACCEPT);
			@SuppressWarnings("unchecked")
			Set<MediaType> producible = (Set<MediaType>) request
				.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
			// The common case, on every request: no quality of 0 to look for.
			if (accept == null || producible == null || !accept.toLowerCase(Locale.ROOT).contains("q=0")) {
				return true;
			}
			List<MediaType> ranges = MediaType.parseMediaTypes(accept);
			if (producible.stream().noneMatch((type) -> quality(type, ranges) > 0)) {
				throw new HttpMediaTypeNotAcceptableException(List.copyOf(producible));
			}
			return true;
		}

		private static double quality(MediaType type, List<MediaType> ranges) {
			MediaType decisive = null;
			for (MediaType range : ranges) {
				if (range.includes(type) && (decisive == null || specificity(range) > specificity(decisive))) {
					decisive = range;
				}
			}
			return (decisive != null) ? decisive.getQualityValue() : 0;
		}

		private static int specificity(MediaType range) {
			return range.isWildcardType() ? 0 : (range.isWildcardSubtype() ? 1 : 2);
		}

	}

	/**
	 * The types {@code Accept} names, with their quality but no other parameter. Spring
	 * MVC answers in the most specific type a client accepts, its parameters included,
	 * and only when it writes the answer, after the handler ran: a charset the JSON
	 * writer cannot produce (ISO-8859-1, UTF-16 with its byte order mark, ...) was a 500
	 * after the visit had been counted, and others an answer in UTF-32 or ASCII. JSON is
	 * UTF-8 (RFC 8259).
	 */
	static final class AcceptedTypesWithoutParameters implements ContentNegotiationStrategy {

		private final ContentNegotiationStrategy header = new HeaderContentNegotiationStrategy();

		@Override
		public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
			List<MediaType> accepted = this.header.resolveMediaTypes(request);
			for (MediaType type : accepted) {
				if (type.getParameters().size() > ((type.getParameter("q") != null) ? 1 : 0)) {
					return accepted.stream()
						.map((each) -> new MediaType(each.getType(), each.getSubtype()).copyQualityValue(each))
						.toList();
				}
			}
			// The common case, on every request: nothing to take away.
			return accepted;
		}

	}

}
