package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reverse proxy (nginx or Caddy) started as a process from one of the recipes in
 * {@code deploy/}, serving {@code https://localhost:<free port>} in front of app
 * instances, with its configuration, logs and state under
 * {@code target/reverse-proxies/<name>/}. Clients talk to it over TLS the way browsers
 * do, trusting only the CA the proxy's certificate comes from.
 */
public abstract class ReverseProxy implements AutoCloseable {

	private final String name;

	private final Path directory;

	private final int port;

	private Process process;

	private SSLContext tls;

	protected ReverseProxy(String name) {
		this.name = name;
		this.directory = Path.of("target", "reverse-proxies", name).toAbsolutePath();
		this.port = RedisServer.freePort();
		FileSystemUtils.deleteRecursively(this.directory.toFile());
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The command that runs the proxy in the foreground, its files written. */
	protected abstract ProcessBuilder command();

	/** The PEM certificate of the CA that signed the proxy's certificate. */
	public abstract Path caCertificate();

	/** Starts the proxy and waits until it completes a TLS handshake. */
	protected final void start() {
		Path log = this.directory.resolve("proxy.log");
		try {
			this.process = command().redirectErrorStream(true).redirectOutput(log.toFile()).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
			assertThat(this.process.isAlive()).as("%s, see %s", this.name, log).isTrue();
			try (Socket socket = connect(InetAddress.getLoopbackAddress())) {
				return true;
			}
			catch (IOException | UncheckedIOException | IllegalStateException ex) {
				return false;
			}
		});
	}

	public int port() {
		return this.port;
	}

	/** The origin of pages served through the proxy, as a browser names it. */
	public String origin() {
		return "https://localhost:" + this.port;
	}

	protected Path directory() {
		return this.directory;
	}

	/**
	 * {@code POST}s a new visitor to {@code path} through the proxy on a connection from
	 * {@code client}, a loopback address of the caller's choosing, with any extra
	 * headers.
	 */
	public RawHttp.Response post(InetAddress client, String path, String... headers) {
		String body = ApiClient.visit(UUID.randomUUID().toString());
		StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\n")
			.append("User-Agent: visitor-counter-tests\r\nContent-Type: application/json\r\nContent-Length: ")
			.append(body.length())
			.append("\r\n");
		boolean host = false;
		for (int i = 0; i < headers.length; i += 2) {
			request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
			host |= headers[i].equalsIgnoreCase("Host");
		}
		if (!host) {
			request.append("Host: localhost:").append(this.port).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n").append(body);
		try {
			return RawHttp.exchange(connect(client), request.toString().getBytes(StandardCharsets.ISO_8859_1),
					Duration.ofSeconds(10));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@link #post(InetAddress, String, String...)} from 127.0.0.1. */
	public RawHttp.Response post(String path, String... headers) {
		return post(InetAddress.getLoopbackAddress(), path, headers);
	}

	/** Opens an event stream through the proxy. */
	public EventStream stream(String path) {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.sslContext(tls())
			.sslParameters(parameters())
			.build();
		return EventStream.open(client, URI.create(origin() + path));
	}

	/**
	 * A TLS connection to the proxy from {@code client}, for {@code localhost} (SNI and
	 * host name verified), trusting only the proxy's CA.
	 */
	private Socket connect(InetAddress client) throws IOException {
		Socket plain = new Socket();
		try {
			plain.bind(new InetSocketAddress(client, 0));
			plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 2_000);
			SSLSocket socket = (SSLSocket) tls().getSocketFactory().createSocket(plain, "localhost", this.port, true);
			socket.setSSLParameters(parameters());
			socket.startHandshake();
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			plain.close();
			throw ex;
		}
	}

	private SSLParameters parameters() {
		SSLParameters parameters = new SSLParameters();
		// Java sends no SNI for a name without a dot; the proxies choose their
		// certificate by it.
		parameters.setServerNames(List.of(new SNIHostName("localhost")));
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		return parameters;
	}

	private synchronized SSLContext tls() {
		if (this.tls == null) {
			Path ca = caCertificate();
			if (!Files.isRegularFile(ca)) {
				throw new IllegalStateException(this.name + " has not made its CA yet: " + ca);
			}
			try (InputStream pem = Files.newInputStream(ca)) {
				KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
				trusted.load(null, null);
				trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
				TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				trust.init(trusted);
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(null, trust.getTrustManagers(), null);
				this.tls = context;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return this.tls;
	}

	/**
	 * The executable, from the {@code PATH} or the usual places, or a failure that says
	 * how to install it.
	 */
	protected static String executable(String name) {
		String path = System.getenv().getOrDefault("PATH", "");
		return Arrays.stream((path + ":/usr/sbin:/usr/local/sbin:/usr/bin:/usr/local/bin").split(":"))
			.filter((dir) -> !dir.isBlank())
			.map((dir) -> Path.of(dir, name))
			.filter(Files::isExecutable)
			.findFirst()
			.map(Path::toString)
			.orElseThrow(() -> new IllegalStateException("The reverse-proxy tests run " + name
					+ ", which is not installed. On Debian/Ubuntu: sudo apt-get install nginx caddy"));
	}

	@Override
	public void close() {
		if (this.process == null) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
