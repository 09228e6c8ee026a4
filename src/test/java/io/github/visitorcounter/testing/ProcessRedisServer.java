package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

import static io.github.visitorcounter.testing.Sleep.sleep;

/**
 * A {@code redis-server} child process on a free loopback port, with no persistence
 * unless {@link RedisServer.Options#extraArgs()} turn it on. Its data directory lives
 * until {@link #close()}, so a restart finds what the server persisted.
 */
class ProcessRedisServer extends RedisServer {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private final Path executable;

	private final Path workDir;

	private int port;

	private Process process;

	ProcessRedisServer(Path executable, Options options) {
		super(options);
		this.executable = executable;
		try {
			this.workDir = Files.createTempDirectory("visitor-counter-redis");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// The free port may be taken between probing and binding: try a few.
		IllegalStateException failure = null;
		for (int attempt = 0; attempt < 3 && this.process == null; attempt++) {
			this.port = freePort();
			try {
				launch();
			}
			catch (IllegalStateException ex) {
				failure = ex;
			}
		}
		if (this.process == null) {
			throw failure;
		}
	}

	@Override
	public String host() {
		return this.options.serverHost();
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public void freeze() {
		signal("STOP");
	}

	@Override
	public void thaw() {
		signal("CONT");
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + signal + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.process != null) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	@Override
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	@Override
	public synchronized void restart() {
		stop();
		launch();
	}

	@Override
	public synchronized void close() {
		stop();
		FileSystemUtils.deleteRecursively(this.workDir.toFile());
	}

	private void launch() {
		List<String> command = new ArrayList<>(
				List.of(this.executable.toString(), "--bind", "127.0.0.1", "--protected-mode", "no", "--daemonize",
						"no", "--save", "", "--appendonly", "no", "--dir", this.workDir.toString(), "--logfile", ""));
		if (this.options.tls()) {
			SelfSignedCertificate certificate = this.options.certificate();
			command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(this.port), "--tls-cert-file",
					certificate.certificate().toString(), "--tls-key-file", certificate.privateKey().toString(),
					"--tls-ca-cert-file", certificate.certificate().toString(), "--tls-auth-clients", "no"));
		}
		else {
			command.addAll(List.of("--port", Integer.toString(this.port)));
		}
		if (this.options.password() != null) {
			command.addAll(List.of("--requirepass", this.options.password()));
		}
		command.addAll(this.options.extraArgs());
		Path log = this.workDir.resolve("redis.log");
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + this.executable, ex);
		}
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!acceptsConnections("127.0.0.1", this.port)) {
			if (!this.process.isAlive() || System.nanoTime() > deadline) {
				this.process.destroyForcibly();
				this.process = null;
				throw new IllegalStateException("redis-server did not start on port " + this.port + ":\n" + read(log));
			}
			sleep(Duration.ofMillis(20));
		}
	}

	private static String read(Path log) {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
