package io.github.visitorcounter.live;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An event stream on a plain socket, for clients that an {@code EventSource} cannot play:
 * one that closes or resets its connection at a chosen moment, stops reading, or comes
 * from a forwarded address. It reads nothing but what it is asked to.
 */
final class RawStream implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final String head;

	private RawStream(Socket socket, InputStream in) throws IOException {
		this.socket = socket;
		this.in = in;
		this.head = readUntil(in, "\r\n\r\n");
	}

	/** Opens a stream with the socket's default receive buffer. */
	static RawStream open(int port, String path, String... headers) {
		return open(port, path, 0, headers);
	}

	/**
	 * Opens a stream and reads its response head.
	 * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the default
	 * @param headers request header lines, such as {@code X-Forwarded-For: 203.0.113.1}
	 */
	static RawStream open(int port, String path, int receiveBuffer, String... headers) {
		Socket socket = new Socket();
		try {
			if (receiveBuffer > 0) {
				socket.setReceiveBufferSize(receiveBuffer);
			}
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			socket.setSoTimeout(5_000);
			StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
			for (String header : headers) {
				request.append(header).append("\r\n");
			}
			socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
			return new RawStream(socket, new BufferedInputStream(socket.getInputStream(), 512));
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new UncheckedIOException(ex);
		}
	}

	int status() {
		return Integer.parseInt(this.head.substring(9, 12));
	}

	String head() {
		return this.head;
	}

	/** Reads the next event or comment, without its blank line. */
	String next() {
		try {
			String block = readUntil(this.in, "\n\n");
			return block.substring(0, block.length() - 2);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Reads the next event, skipping comments (heartbeats). */
	String nextEvent() {
		String block = next();
		while (block.startsWith(":")) {
			block = next();
		}
		return block;
	}

	/**
	 * Reads until the server ends the connection (end of input or a reset) or the timeout
	 * passes.
	 * @return whether the server ended it
	 */
	boolean endedByServer(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		byte[] buffer = new byte[8192];
		try {
			while (System.nanoTime() < deadline) {
				try {
					if (this.in.read(buffer) < 0) {
						return true;
					}
				}
				catch (SocketTimeoutException ex) {
					// Read again until the deadline.
				}
			}
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/** Closes the connection the orderly way (FIN). */
	@Override
	public void close() {
		closeQuietly(this.socket);
	}

	/**
	 * Resets the connection (RST), as a client that crashed or lost its network would.
	 */
	void reset() {
		try {
			this.socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// Then an orderly close.
		}
		closeQuietly(this.socket);
	}

	private static String readUntil(InputStream in, String end) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		byte[] endBytes = end.getBytes(StandardCharsets.ISO_8859_1);
		int matched = 0;
		while (matched < endBytes.length) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Ended after: " + read.toString(StandardCharsets.UTF_8));
			}
			read.write(b);
			matched = (b == endBytes[matched]) ? matched + 1 : ((b == endBytes[0]) ? 1 : 0);
		}
		return read.toString(StandardCharsets.UTF_8);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing to do.
		}
	}

}
