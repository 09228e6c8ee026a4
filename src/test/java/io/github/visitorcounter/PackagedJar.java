package io.github.visitorcounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar as {@code ./mvnw package} builds it, started as a process of its own with the
 * JVM options the image runs it with (the Dockerfile's {@code JAVA_TOOL_OPTIONS}), for
 * failsafe's {@code *IntegrationTests} where memory matters.
 */
public final class PackagedJar implements AutoCloseable {

	private static final Pattern JAVA_TOOL_OPTIONS = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"");

	private final Process process;

	private final Path log;

	private final int port;

	private PackagedJar(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
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
	 * Starts the jar with the image's JVM options, then {@code extraJvmOptions} (a later
	 * option wins), against {@code redis}, with {@code env} and none of the developer's
	 * own settings.
	 */
	public static PackagedJar start(RedisServer redis, List<String> extraJvmOptions, Map<String, String> env) {
		Path jar = Path.of(System.getProperty("packagedJar", "target/visitor-counter-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the packaged jar (run through `./mvnw verify`)").isRegularFile();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(imageJvmOptions());
		command.addAll(extraJvmOptions);
		command.addAll(List.of("-jar", jar.toString()));
		int port = RedisServer.freePort();
		try {
			Path log = Files.createTempFile("visitor-counter-jar", ".log");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			builder.environment()
				.keySet()
				.removeIf((name) -> name.startsWith("VISITORS_") || name.startsWith("SPRING_")
						|| name.startsWith("MANAGEMENT_") || name.startsWith("REDIS_") || name.startsWith("SERVER_")
						|| name.equals("JAVA_TOOL_OPTIONS"));
			builder.environment().put("REDIS_URL", redis.url());
			builder.environment().put("SERVER_PORT", Integer.toString(port));
			builder.environment().put("VISITORS_ID_SECRET", "packaged-jar-test-secret-" + UUID.randomUUID());
			builder.environment().putAll(env);
			return new PackagedJar(builder.start(), log, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Waits until the application is ready (Redis included). */
	public PackagedJar awaitReady() {
		ApiClient api = new ApiClient(this.port);
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
			assertThat(this.process.isAlive()).as("the application process, see %s", this.log).isTrue();
			try {
				return api.get("/actuator/health/readiness").statusCode() == 200;
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
	public void close() throws InterruptedException, IOException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
		Files.deleteIfExists(this.log);
	}

}
