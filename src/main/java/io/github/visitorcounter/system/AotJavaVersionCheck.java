package io.github.visitorcounter.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Refuses to start from Spring AOT code ({@code -Dspring.aot.enabled=true}) that was
 * generated on another Java major version. The build decides every condition once, on the
 * Java that builds the jar: virtual threads (when enabled), for one, exist from Java 21
 * on, so a jar processed on Java 17 would serve requests on platform threads on Java 25
 * without a word, and a jar processed on 25 fails obscurely on 17.
 */
class AotJavaVersionCheck implements EnvironmentPostProcessor {

	private static final String BUILD_INFO = "META-INF/build-info.properties";

	private static final String AOT_JAVA = "build.aot-java";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (AotDetector.useGeneratedArtifacts()) {
			check(buildInfo().getProperty(AOT_JAVA), Runtime.version().feature());
		}
	}

	/**
	 * @param aotJava the Java version that generated the AOT code, or {@code null} if
	 * unknown
	 * @param runningJava the Java major version running it
	 */
	static void check(String aotJava, int runningJava) {
		if (aotJava != null && !aotJava.equals(Integer.toString(runningJava))) {
			throw new IllegalStateException("This jar's Spring AOT code was generated on Java " + aotJava
					+ " but runs on Java " + runningJava + ", and build-time conditions (such as virtual threads, "
					+ "Java 21+) do not match: rebuild the jar with Java " + runningJava
					+ ", or start it without -Dspring.aot.enabled=true.");
		}
	}

	private static Properties buildInfo() {
		Properties properties = new Properties();
		ClassPathResource resource = new ClassPathResource(BUILD_INFO);
		if (resource.exists()) {
			try (InputStream in = resource.getInputStream()) {
				properties.load(in);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return properties;
	}

}
