package io.github.visitorcounter.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many connections from one address, each sending a request's first bytes at once and
 * then one byte at a time, for as long as the server lets it: the slowloris class of
 * clients. One thread drives them all over a {@link Selector}, and records when and how
 * the server ended each.
 */
final class SlowClients implements AutoCloseable {

	private final Selector selector;

	private final List<Connection> connections = new ArrayList<>();

	private final byte[] trickle;

	private final Duration interval;

	private final Thread driver;

	private volatile boolean running = true;

	private SlowClients(InetAddress from, int port, int count, byte[] head, byte[] trickle, Duration interval)
			throws IOException {
		this.selector = Selector.open();
		this.trickle = trickle;
		this.interval = interval;
		for (int i = 0; i < count; i++) {
			SocketChannel channel = SocketChannel.open();
			channel.bind(new InetSocketAddress(from, 0));
			channel.configureBlocking(false);
			Connection connection = new Connection(channel, head);
			channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			channel.register(this.selector, SelectionKey.OP_CONNECT, connection);
			this.connections.add(connection);
		}
		this.driver = new Thread(this::drive, "slow-clients");
		this.driver.setDaemon(true);
		this.driver.start();
	}

	/**
	 * Opens {@code count} connections from {@code from}, each sending {@code head} and
	 * then the bytes of {@code trickle} in turn, one every {@code interval}, over and
	 * over.
	 */
	static SlowClients start(InetAddress from, int port, int count, String head, String trickle, Duration interval) {
		try {
			return new SlowClients(from, port, count, head.getBytes(StandardCharsets.ISO_8859_1),
					trickle.getBytes(StandardCharsets.ISO_8859_1), interval);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** How many connections have sent their first bytes and not yet been ended. */
	synchronized int open() {
		return (int) this.connections.stream().filter((c) -> c.sentHeadAt > 0 && c.endedAt == 0).count();
	}

	/** When the first connection had sent its first bytes ({@link System#nanoTime()}). */
	synchronized long firstStartedAt() {
		return this.connections.stream().mapToLong((c) -> c.sentHeadAt).filter((at) -> at > 0).min().orElseThrow();
	}

	synchronized int ended() {
		return (int) this.connections.stream().filter((c) -> c.endedAt > 0).count();
	}

	/** How each connection ended, once all have (or the driver was stopped). */
	synchronized List<Ending> endings() {
		return this.connections.stream()
			.map((c) -> new Ending(c.sentHeadAt, c.endedAt, c.bytesSent,
					new String(c.received.toByteArray(), StandardCharsets.ISO_8859_1)))
			.toList();
	}

	private void drive() {
		long intervalNanos = this.interval.toNanos();
		ByteBuffer buffer = ByteBuffer.allocate(4096);
		while (this.running) {
			try {
				this.selector.select(20);
				synchronized (this) {
					for (SelectionKey key : this.selector.selectedKeys()) {
						Connection connection = (Connection) key.attachment();
						if (key.isConnectable()) {
							connection.connected(key);
						}
						else if (key.isReadable()) {
							connection.read(key, buffer);
						}
					}
					this.selector.selectedKeys().clear();
					long now = System.nanoTime();
					for (Connection connection : this.connections) {
						if (connection.endedAt == 0 && connection.sentHeadAt > 0
								&& now - connection.lastSentAt >= intervalNanos) {
							connection.sendNext(this.trickle, now);
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	@Override
	public void close() throws InterruptedException, IOException {
		this.running = false;
		this.driver.join(5_000);
		for (Connection connection : this.connections) {
			connection.channel.close();
		}
		this.selector.close();
	}

	/**
	 * How the server ended one connection.
	 *
	 * @param startedAt when it had sent its first bytes ({@link System#nanoTime()}), or 0
	 * @param endedAt when the server answered or closed it, or 0 while it is open
	 * @param bytesSent how many bytes it had sent by then
	 * @param answer what the server sent back, if anything
	 */
	record Ending(long startedAt, long endedAt, long bytesSent, String answer) {

		Duration lasted() {
			return Duration.ofNanos(this.endedAt - this.startedAt);
		}

	}

	private static final class Connection {

		private final SocketChannel channel;

		private final ByteBuffer head;

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		private SelectionKey key;

		private long sentHeadAt;

		private long lastSentAt;

		private long endedAt;

		private long bytesSent;

		private int next;

		Connection(SocketChannel channel, byte[] head) {
			this.channel = channel;
			this.head = ByteBuffer.wrap(head);
		}

		void connected(SelectionKey key) {
			try {
				this.channel.finishConnect();
				while (this.head.hasRemaining()) {
					this.bytesSent += this.channel.write(this.head);
				}
				this.key = key;
				this.sentHeadAt = System.nanoTime();
				this.lastSentAt = this.sentHeadAt;
				key.interestOps(SelectionKey.OP_READ);
			}
			catch (IOException ex) {
				end(key);
			}
		}

		void read(SelectionKey key, ByteBuffer buffer) {
			try {
				buffer.clear();
				int count = this.channel.read(buffer);
				if (count > 0) {
					this.received.write(buffer.array(), 0, count);
				}
				// Any answer ends the request: the server has given up on it.
				end(key);
			}
			catch (IOException ex) {
				end(key);
			}
		}

		void sendNext(byte[] trickle, long now) {
			try {
				this.bytesSent += this.channel.write(ByteBuffer.wrap(trickle, this.next, 1));
				this.next = (this.next + 1) % trickle.length;
				this.lastSentAt = now;
			}
			catch (IOException ex) {
				end(this.key);
			}
		}

		private void end(SelectionKey key) {
			if (this.endedAt == 0) {
				this.endedAt = System.nanoTime();
			}
			if (key != null) {
				key.cancel();
			}
		}

	}

}
