package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * nginx running {@code deploy/nginx.conf} (or a variant of it) the way README installs
 * it: the recipe included into the {@code http} block of a main {@code nginx.conf}, next
 * to its two included files ({@code visitor-counter/upstreams.conf} and
 * {@code visitor-counter/site.conf}), which hold this test's upstream ports, listen port
 * and certificate where a person puts theirs.
 */
public final class NginxProxy extends ReverseProxy {

	/** The recipe people copy. */
	public static final Path RECIPE = Path.of("deploy", "nginx.conf");

	/**
	 * {@code proxy_read_timeout} of the main configuration, which the recipe inherits:
	 * nginx's 60 s scaled down so that a test can wait it out.
	 */
	public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

	private final Path recipe;

	private final SelfSignedCertificate certificate;

	private final int[] upstreamPorts;

	private NginxProxy(String name, Path recipe, SelfSignedCertificate certificate, int... upstreamPorts) {
		super(name);
		this.recipe = recipe.toAbsolutePath();
		this.certificate = certificate;
		this.upstreamPorts = upstreamPorts;
	}

	public static NginxProxy start(String name, Path recipe, SelfSignedCertificate certificate, int... upstreamPorts) {
		NginxProxy nginx = new NginxProxy(name, recipe, certificate, upstreamPorts);
		nginx.start();
		return nginx;
	}

	@Override
	protected ProcessBuilder command() {
		Path dir = directory();
		String upstreams = Arrays.stream(this.upstreamPorts)
			.mapToObj((port) -> "server 127.0.0.1:" + port + ";\n")
			.collect(Collectors.joining());
		String site = """
				listen 127.0.0.1:%d ssl http2;
				server_name localhost;
				ssl_certificate %s;
				ssl_certificate_key %s;
				""".formatted(port(), this.certificate.certificate(), this.certificate.privateKey());
		String main = """
				worker_processes 1;
				pid %1$s/nginx.pid;
				events {
				    worker_connections 256;
				}
				http {
				    access_log %1$s/access.log;
				    client_body_temp_path %1$s/temp/client-body;
				    proxy_temp_path %1$s/temp/proxy;
				    fastcgi_temp_path %1$s/temp/fastcgi;
				    uwsgi_temp_path %1$s/temp/uwsgi;
				    scgi_temp_path %1$s/temp/scgi;
				    proxy_read_timeout %2$ds;
				    include %3$s;
				}
				""".formatted(dir, IDLE_TIMEOUT.toSeconds(), this.recipe);
		try {
			Files.createDirectories(dir.resolve("visitor-counter"));
			Files.createDirectories(dir.resolve("temp"));
			Files.writeString(dir.resolve("visitor-counter/upstreams.conf"), upstreams);
			Files.writeString(dir.resolve("visitor-counter/site.conf"), site);
			Files.writeString(dir.resolve("nginx.conf"), main);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new ProcessBuilder(executable("nginx"), "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
				"-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;");
	}

	@Override
	public Path caCertificate() {
		return this.certificate.certificate();
	}

}
