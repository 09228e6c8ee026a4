package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.testcontainers.DockerClientFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * A real Redis for tests and for the dev-time
 * {@link io.github.visitorcounter.TestVisitorCounterApplication}: a Testcontainers
 * {@code redis:7} container when Docker is available, otherwise a {@code redis-server}
 * process on a free port without persistence. {@code VISITORS_TEST_REDIS=docker|process}
 * forces one of the two.
 * <p>
 * Besides the shared instance, tests can start their own ({@link OwnRedis}): one they
 * stop and restart (same port), or a TLS one with a password that stands in for Upstash.
 */
public abstract class RedisServer implements OwnRedis {

	private static final Log logger = LogFactory.getLog(RedisServer.class);

	private static final String HOW_TO_GET_REDIS = """
			No Redis available for the tests: Docker is not running and no redis-server binary was found.
			Either start Docker (Testcontainers then runs redis:7), or install Redis:
			  Debian/Ubuntu: sudo apt-get install redis-server
			  macOS:         brew install redis
			or point REDIS_SERVER at a redis-server executable.""";

	private static RedisServer shared;

	/** The password of a TLS server, or {@code null}. */
	protected final Options options;

	protected RedisServer(Options options) {
		this.options = options;
	}

	/**
	 * The instance shared by every test in this JVM, started on first use and stopped
	 * when the JVM exits.
	 */
	public static synchronized RedisServer shared() {
		if (shared == null) {
			shared = start(Options.plain());
			Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "redis-test-server-shutdown"));
		}
		return shared;
	}

	/**
	 * A new server owned by the caller, who closes it.
	 */
	public static RedisServer start(Options options) {
		String forced = System.getenv("VISITORS_TEST_REDIS");
		if (!"process".equals(forced) && ("docker".equals(forced) || dockerAvailable())) {
			return new ContainerRedisServer(options);
		}
		Path executable = findRedisServer().orElseThrow(() -> new IllegalStateException(HOW_TO_GET_REDIS));
		RedisServer server = new ProcessRedisServer(executable, options);
		logger.info("No Docker engine: started " + executable + " on port " + server.port() + " instead");
		return server;
	}

	public abstract String host();

	public abstract int port();

	/**
	 * Stops the server; {@link #restart()} brings it back on the same port, with what it
	 * persisted: nothing, unless {@link Options#extraArgs()} turn persistence on.
	 */
	public abstract void stop();

	/**
	 * Kills the server without warning ({@code kill -9}): no shutdown, no final write or
	 * fsync. {@link #restart()} brings it back on the same port, from its data directory.
	 */
	public abstract void kill();

	public abstract void restart();

	/** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
	public abstract void freeze();

	public abstract void thaw();

	/**
	 * Stops the server while the action runs, and restarts it however the action ends.
	 */
	public void whileStopped(Runnable action) {
		stop();
		try {
			action.run();
		}
		finally {
			restart();
		}
	}

	/** Freezes the server while the action runs, and thaws it however the action ends. */
	public void whileFrozen(Runnable action) {
		freeze();
		try {
			action.run();
		}
		finally {
			thaw();
		}
	}

	@Override
	public abstract void close();

	/** A URL for {@code spring.data.redis.url} / {@code REDIS_URL}. */
	public String url() {
		String credentials = (this.options.password() != null) ? "default:" + this.options.password() + "@" : "";
		return (this.options.tls() ? "rediss://" : "redis://") + credentials + host() + ":" + port();
	}

	@Override
	public Map<String, Object> applicationProperties() {
		return Map.of("spring.data.redis.url", url());
	}

	/** The PEM certificate a client must trust to reach a TLS server. */
	public Path caCertificate() {
		return this.options.certificate().certificate();
	}

	private static boolean dockerAvailable() {
		// Testcontainers reports a missing engine as an ERROR; here it is an answer, and
		// the line above says what runs instead.
		LoggingSystem.get(RedisServer.class.getClassLoader())
			.setLogLevel("org.testcontainers.dockerclient.DockerClientProviderStrategy", LogLevel.OFF);
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	static Optional<Path> findRedisServer() {
		String configured = System.getenv("REDIS_SERVER");
		if (configured != null && !configured.isBlank()) {
			return Optional.of(Path.of(configured)).filter(Files::isExecutable);
		}
		String path = System.getenv().getOrDefault("PATH", "");
		return Arrays.stream((path + ":/usr/local/bin:/usr/bin:/opt/homebrew/bin").split(":"))
			.filter((dir) -> !dir.isBlank())
			.map((dir) -> Path.of(dir, "redis-server"))
			.filter(Files::isExecutable)
			.findFirst();
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static boolean acceptsConnections(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * How to start a server.
	 *
	 * @param tls serve TLS only (with a self-signed certificate made for the test)
	 * @param password {@code requirepass}, or {@code null}
	 * @param certificate the server's certificate when {@code tls}
	 * @param extraArgs further {@code redis-server} arguments; they come last, so they
	 * override the defaults ({@code --save "" --appendonly no})
	 */
	public record Options(boolean tls, String password, SelfSignedCertificate certificate, List<String> extraArgs) {

		public static Options plain() {
			return new Options(false, null, null, List.of());
		}

		/**
		 * Appends and syncs every write: a stopped server comes back with all it held, so
		 * counts survive an outage a test brings about.
		 */
		public static Options persisted() {
			return plain().withExtraArgs("--appendonly", "yes", "--appendfsync", "always");
		}

		/** Like Upstash: TLS only, with a password. */
		public static Options tls(String password) {
			return new Options(true, password, SelfSignedCertificate.generate(), List.of());
		}

		/**
		 * These options with further {@code redis-server} arguments, e.g.
		 * {@code "--appendonly", "yes"}.
		 */
		public Options withExtraArgs(String... args) {
			List<String> extended = new ArrayList<>(this.extraArgs);
			extended.addAll(List.of(args));
			return new Options(this.tls, this.password, this.certificate, List.copyOf(extended));
		}

		String serverHost() {
			// The certificate names "localhost"; plain servers use the address to avoid
			// IPv6 lookups.
			return this.tls ? "localhost" : "127.0.0.1";
		}

	}

}
