package io.github.visitorcounter.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ReflectionUtils;

/**
 * Points the application of a test class at the {@link OwnRedis} in its static
 * {@code @RegisterExtension} fields, ahead of every other property source. Registered for
 * every test class (in {@code META-INF/spring.factories}), so that a class with a Redis
 * of its own can never reach the one in {@code application.properties} by mistake.
 */
class OwnRedisContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		List<OwnRedis> ownRedis = new ArrayList<>();
		ReflectionUtils.doWithFields(testClass, (field) -> ownRedis.add(valueOf(field)), this::holdsOwnRedis);
		return ownRedis.isEmpty() ? null : new PointAtOwnRedis(List.copyOf(ownRedis));
	}

	private boolean holdsOwnRedis(Field field) {
		return Modifier.isStatic(field.getModifiers()) && field.isAnnotationPresent(RegisterExtension.class)
				&& OwnRedis.class.isAssignableFrom(field.getType());
	}

	private static OwnRedis valueOf(Field field) {
		ReflectionUtils.makeAccessible(field);
		return (OwnRedis) ReflectionUtils.getField(field, null);
	}

	/** Equal for the same Redis instances only, so no two classes share a context. */
	private record PointAtOwnRedis(List<OwnRedis> ownRedis) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Map<String, Object> properties = new LinkedHashMap<>();
			this.ownRedis.forEach((redis) -> properties.putAll(redis.applicationProperties()));
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("ownRedis", properties));
		}

	}

}
