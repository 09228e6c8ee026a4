package io.github.visitorcounter.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import static io.github.visitorcounter.testing.Sleep.sleep;

/**
 * A Testcontainers {@code redis:7} container. Its host port is fixed when it is created,
 * so that a test can stop and restart it and find it at the same address.
 */
class ContainerRedisServer extends RedisServer {

	private static final int REDIS_PORT = 6379;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private final int port = freePort();

	private final GenericContainer<?> container;

	@SuppressWarnings("resource")
	ContainerRedisServer(Options options) {
		super(options);
		List<String> command = new ArrayList<>(List.of("redis-server", "--save", "", "--appendonly", "no"));
		this.container = new GenericContainer<>(DockerImageName.parse("redis:7")).withExposedPorts(REDIS_PORT)
			.withCreateContainerCmdModifier((create) -> create.getHostConfig()
				.withPortBindings(new PortBinding(Ports.Binding.bindPort(this.port), ExposedPort.tcp(REDIS_PORT))));
		if (options.tls()) {
			SelfSignedCertificate certificate = options.certificate();
			this.container
				.withCopyFileToContainer(MountableFile.forHostPath(certificate.certificate(), 0644), "/tls/cert.pem")
				.withCopyFileToContainer(MountableFile.forHostPath(certificate.privateKey(), 0644), "/tls/key.pem");
			command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(REDIS_PORT), "--tls-cert-file",
					"/tls/cert.pem", "--tls-key-file", "/tls/key.pem", "--tls-ca-cert-file", "/tls/cert.pem",
					"--tls-auth-clients", "no"));
		}
		if (options.password() != null) {
			command.addAll(List.of("--requirepass", options.password()));
		}
		command.addAll(options.extraArgs());
		this.container.withCommand(command.toArray(String[]::new));
		this.container.start();
	}

	@Override
	public String host() {
		return this.options.tls() ? "localhost" : this.container.getHost();
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public void stop() {
		this.container.getDockerClient().stopContainerCmd(this.container.getContainerId()).withTimeout(5).exec();
	}

	@Override
	public void kill() {
		this.container.getDockerClient().killContainerCmd(this.container.getContainerId()).withSignal("KILL").exec();
	}

	@Override
	public void restart() {
		this.container.getDockerClient().startContainerCmd(this.container.getContainerId()).exec();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!acceptsConnections(this.container.getHost(), this.port)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Redis container did not come back on port " + this.port);
			}
			sleep(Duration.ofMillis(50));
		}
	}

	@Override
	public void freeze() {
		this.container.getDockerClient().pauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public void thaw() {
		this.container.getDockerClient().unpauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public void close() {
		this.container.stop();
	}

}
