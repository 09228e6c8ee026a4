package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar as {@code ./mvnw package} builds it, started as a process of its own on a free
 * port, with only the settings a test gives it. For failsafe's {@code *IntegrationTests};
 * where memory matters, with the JVM options the image runs it with
 * ({@link #imageJvmOptions()}).
 */
public final class PackagedJar implements AutoCloseable {

	private static final Pattern JAVA_TOOL_OPTIONS = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"");

	private final Process process;

	private final Path log;

	private final int port;

	private final ApiClient api;

	private PackagedJar(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.api = new ApiClient(port);
	}

	/** The JVM options of the image, as its Dockerfile sets them. */
	public static List<String> imageJvmOptions() {
		try {
			Matcher options = JAVA_TOOL_OPTIONS.matcher(Files.readString(Path.of("Dockerfile")));
			assertThat(options.find()).as("ENV JAVA_TOOL_OPTIONS in the Dockerfile").isTrue();
			return Arrays.asList(options.group(1).split("\\s+"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts the jar without waiting for it; {@link #awaitReady()} waits. Starting
	 * several first and then waiting lets them start side by side.
	 */
	public static PackagedJar start(Map<String, String> environment, String... jvmOptions) {
		Path jar = Path.of(System.getProperty("packagedJar", "target/visitor-counter-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the packaged jar (run through `./mvnw verify`)").isRegularFile();
		int port = RedisServer.freePort();
		try {
			Path log = Files.createTempFile("visitor-counter-jar", ".log");
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
							"-Dspring.aot.enabled=true", "-XX:+UseSerialGC", "-Xmx128m"));
			command.addAll(List.of(jvmOptions));
			command.addAll(List.of("-jar", jar.toString()));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			// Only the test's settings: none of the developer's own.
			builder.environment()
				.keySet()
				.removeIf((name) -> name.startsWith("VISITORS_") || name.startsWith("SPRING_")
						|| name.startsWith("MANAGEMENT_") || name.startsWith("REDIS_") || name.startsWith("SERVER_")
						|| name.equals("JAVA_TOOL_OPTIONS"));
			builder.environment().putAll(environment);
			builder.environment().put("SERVER_PORT", Integer.toString(port));
			return new PackagedJar(builder.start(), log, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Waits until the application is ready, Redis included. */
	public PackagedJar awaitReady() {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
			assertThat(this.process.isAlive()).as("the application process, see %s", this.log).isTrue();
			try {
				return this.api.get("/actuator/health/readiness").statusCode() == 200;
			}
			catch (UncheckedIOException ex) {
				return false;
			}
		});
		return this;
	}

	public int port() {
		return this.port;
	}

	public ApiClient api() {
		return this.api;
	}

	public Process process() {
		return this.process;
	}

	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The heap that live objects take: the total of a class histogram, which collects all
	 * garbage first ({@code jcmd GC.class_histogram}).
	 */
	public long liveHeapBytes() throws IOException, InterruptedException {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(this.process.pid()), "GC.class_histogram")
			.redirectErrorStream(true)
			.start();
		String output = new String(histogram.getInputStream().readAllBytes());
		assertThat(histogram.waitFor(60, TimeUnit.SECONDS)).isTrue();
		Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(output);
		assertThat(total.find()).as("a class histogram: %s", output).isTrue();
		return Long.parseLong(total.group(1));
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
			Files.deleteIfExists(this.log);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
