package io.github.visitorcounter.testing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Caddy running {@code deploy/Caddyfile} (or a variant of it) as README runs it, with
 * this test's values in the environment variables the recipe reads: the site
 * {@code localhost}, for which Caddy issues a certificate from its own local CA, on a
 * free HTTPS port, in front of this test's app instances. Its storage, CA included, stays
 * under {@code target/}.
 */
public final class CaddyProxy extends ReverseProxy {

	/** The recipe people copy. */
	public static final Path RECIPE = Path.of("deploy", "Caddyfile");

	private final Path recipe;

	private final int[] upstreamPorts;

	private CaddyProxy(String name, Path recipe, int... upstreamPorts) {
		super(name);
		this.recipe = recipe.toAbsolutePath();
		this.upstreamPorts = upstreamPorts;
	}

	public static CaddyProxy start(String name, Path recipe, int... upstreamPorts) {
		CaddyProxy caddy = new CaddyProxy(name, recipe, upstreamPorts);
		caddy.start();
		return caddy;
	}

	@Override
	protected ProcessBuilder command() {
		Path dir = directory();
		ProcessBuilder builder = new ProcessBuilder(executable("caddy"), "run", "--adapter", "caddyfile", "--config",
				this.recipe.toString());
		Map<String, String> environment = builder.environment();
		environment.keySet()
			.removeIf((name) -> name.startsWith("CADDY_") || name.startsWith("VISITOR_COUNTER_")
					|| name.startsWith("XDG_"));
		environment.put("HOME", dir.resolve("home").toString());
		environment.put("XDG_DATA_HOME", dir.resolve("data").toString());
		environment.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
		environment.put("CADDY_ADMIN", "off");
		environment.put("CADDY_HTTP_PORT", Integer.toString(RedisServer.freePort()));
		environment.put("CADDY_HTTPS_PORT", Integer.toString(port()));
		environment.put("VISITOR_COUNTER_DOMAIN", "localhost");
		environment.put("VISITOR_COUNTER_UPSTREAMS",
				Arrays.stream(this.upstreamPorts)
					.mapToObj((port) -> "127.0.0.1:" + port)
					.collect(Collectors.joining(" ")));
		return builder;
	}

	@Override
	public Path caCertificate() {
		return directory().resolve("data/caddy/pki/authorities/local/root.crt");
	}

}
