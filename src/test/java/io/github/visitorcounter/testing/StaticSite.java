package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny static web server on another port: stands for someone's personal site that
 * embeds the counter. It serves the pages under {@code src/test/resources/embed/}
 * (folders too: {@code /posts/first.html}), with {@code {{app}}} replaced by the
 * counter's base URL. Reached as {@code http://localhost:port} and as
 * {@code http://127.0.0.1:port}: two different origins, one server.
 */
public class StaticSite implements AutoCloseable {

	/** A page's path below the site's root: no {@code ..}, no directory listing. */
	private static final Pattern PAGE_NAME = Pattern.compile("([a-z0-9-]+/)*[a-z0-9-]+\\.html");

	private final HttpServer server;

	private volatile String appUrl = "";

	public StaticSite() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::serve);
		this.server.start();
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public void setAppUrl(String appUrl) {
		this.appUrl = appUrl;
	}

	private void serve(HttpExchange exchange) throws IOException {
		String name = exchange.getRequestURI().getPath().substring(1);
		try (InputStream page = PAGE_NAME.matcher(name).matches()
				? StaticSite.class.getResourceAsStream("/embed/" + name) : null;
				OutputStream body = exchange.getResponseBody()) {
			if (page == null) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			byte[] html = new String(page.readAllBytes(), StandardCharsets.UTF_8).replace("{{app}}", this.appUrl)
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.getResponseHeaders().set("Cache-Control", "no-store");
			exchange.sendResponseHeaders(200, html.length);
			body.write(html);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
