package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port that can turn into a black hole, as a NAT gateway
 * or firewall that silently loses its state would: {@link #blackhole()} stops forwarding
 * on every open connection, for good, without closing or resetting anything.
 * {@link #heal()} forwards connections made from then on again, so a client only recovers
 * if it notices that its connection is dead and opens a new one.
 * <p>
 * A proxy in user space cannot keep its own kernel from acknowledging what arrives, so a
 * black-holed connection also stops <em>reading</em>, through a small receive buffer: the
 * client's next writes find a closed window and stay unacknowledged, as they would behind
 * a dead peer, and only {@code TCP_USER_TIMEOUT} (which also bounds zero-window probing)
 * or the client itself ends the connection. Keep-alive probes on an idle connection are
 * still answered by the kernel, so an idle connection is never found dead this way.
 */
public final class BlackholeProxy implements OwnRedis {

	/** Small, so that a black-holed connection's window closes after a few KB. */
	private static final int RECEIVE_BUFFER = 4096;

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private final List<Long> acceptedNanos = new CopyOnWriteArrayList<>();

	private volatile boolean forwarding = true;

	private volatile boolean closed;

	public BlackholeProxy(String targetHost, int targetPort) {
		this.target = new InetSocketAddress(targetHost, targetPort);
		try {
			this.server = new ServerSocket();
			this.server.setReceiveBufferSize(RECEIVE_BUFFER);
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "blackhole-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** A {@code redis://} URL that leads through this proxy. */
	public String redisUrl() {
		return "redis://127.0.0.1:" + port();
	}

	/** The application reaches Redis through this proxy. */
	@Override
	public Map<String, Object> applicationProperties() {
		return Map.of("spring.data.redis.url", redisUrl());
	}

	/**
	 * Stops forwarding on every connection, open or new, without closing any. Connections
	 * open now stay black holes even after {@link #heal()}.
	 */
	public void blackhole() {
		this.forwarding = false;
		this.links.forEach(Link::blackhole);
	}

	/** Forwards connections accepted from now on again. */
	public void heal() {
		this.forwarding = true;
	}

	/** When each connection was accepted ({@link System#nanoTime()}), in order. */
	public List<Long> acceptedNanos() {
		return List.copyOf(this.acceptedNanos);
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.acceptedNanos.add(System.nanoTime());
			Link link = new Link(client);
			this.links.add(link);
			if (this.forwarding) {
				link.forward(this.target);
			}
			else {
				// Accepted by the kernel anyway: keep it open and never read from it.
				link.blackhole();
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.server);
		this.links.forEach(Link::close);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// Closing anyway.
			}
		}
	}

	/** A client connection and, while forwarded, its connection to the target. */
	private final class Link {

		private final Socket client;

		private volatile Socket upstream;

		private volatile boolean dead;

		Link(Socket client) {
			this.client = client;
		}

		void forward(InetSocketAddress target) {
			try {
				this.upstream = new Socket();
				this.upstream.setReceiveBufferSize(RECEIVE_BUFFER);
				this.upstream.connect(target, 2000);
			}
			catch (IOException ex) {
				close();
				return;
			}
			pump(this.client, this.upstream, "to-target");
			pump(this.upstream, this.client, "to-client");
		}

		void blackhole() {
			this.dead = true;
		}

		private void pump(Socket from, Socket to, String direction) {
			Thread thread = new Thread(() -> {
				byte[] buffer = new byte[8192];
				try {
					InputStream in = from.getInputStream();
					OutputStream out = to.getOutputStream();
					for (int read = in.read(buffer); read >= 0 && !this.dead; read = in.read(buffer)) {
						out.write(buffer, 0, read);
						out.flush();
					}
				}
				catch (IOException ex) {
					// One side closed or reset: so does the link, unless black-holed.
				}
				if (!this.dead) {
					close();
				}
				// A black hole neither reads, nor writes, nor closes: the sockets stay
				// open
				// until the proxy is closed.
			}, "blackhole-proxy-" + direction);
			thread.setDaemon(true);
			thread.start();
		}

		void close() {
			closeQuietly(this.client);
			closeQuietly(this.upstream);
		}

	}

}
