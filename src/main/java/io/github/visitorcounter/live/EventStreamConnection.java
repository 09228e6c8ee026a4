package io.github.visitorcounter.live;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.util.concurrent.locks.Lock;

import jakarta.servlet.http.WebConnection;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * The connection of one event stream once its response head is sent: Tomcat hands the
 * socket over (an HTTP upgrade, as for Tomcat's own WebSocket) and releases the request's
 * processor, whose buffers (about 70 KiB) an open asynchronous request would hold for as
 * long as the stream lasts. What stays is the socket with its two buffers.
 * <p>
 * Writes never block: a client that does not read what it was sent fills the socket's
 * buffers (kept small), and the next write finds them full and drops the client instead
 * of queueing more. The socket is watched for reading, so a client that closes or resets
 * the connection is released at once.
 * <p>
 * Public, with a public constructor, because Tomcat creates it.
 */
public final class EventStreamConnection implements InternalHttpUpgradeHandler {

	private static final int SEND_BUFFER_BYTES = 16 * 1024;

	/** The stream that writes here; set before Tomcat hands the socket over. */
	private volatile LiveStream stream;

	private volatile SocketWrapperBase<?> socket;

	public EventStreamConnection() {
	}

	void attach(LiveStream stream) {
		this.stream = stream;
	}

	@Override
	public void setSocketWrapper(SocketWrapperBase<?> socket) {
		this.socket = socket;
	}

	@Override
	public void init(WebConnection connection) {
		limitSendBuffer();
		this.stream.connected(this);
	}

	/**
	 * The kernel grows a socket's send buffer up to megabytes for a client that does not
	 * read; a stream sends a few bytes a second, so a small fixed one bounds that memory
	 * and finds such a client within a few hundred events.
	 */
	private void limitSendBuffer() {
		if (this.socket.getSocket() instanceof NioChannel channel) {
			try {
				channel.getIOChannel().setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
			}
			catch (IOException ex) {
				// The kernel's default then.
			}
		}
	}

	/**
	 * Writes without blocking.
	 * @return {@code false} when the stream must be dropped: the client did not read what
	 * it was sent before, or the connection failed or is closed
	 */
	boolean send(byte[] bytes) {
		SocketWrapperBase<?> socket = this.socket;
		Lock lock = socket.getLock();
		lock.lock();
		try {
			if (socket.isClosed() || !socket.canWrite()) {
				return false;
			}
			socket.write(false, bytes, 0, bytes.length);
			if (socket.flush(false)) {
				// Sent on when the client reads (OPEN_WRITE below).
				socket.registerWriteInterest();
			}
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			return false;
		}
		finally {
			lock.unlock();
		}
	}

	/** Closes the socket: the client sees the stream end. */
	void close() {
		SocketWrapperBase<?> socket = this.socket;
		Lock lock = socket.getLock();
		lock.lock();
		try {
			socket.close();
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public SocketState upgradeDispatch(SocketEvent event) {
		try {
			return switch (event) {
				case OPEN_READ -> readUntilNothingLeft();
				case OPEN_WRITE -> {
					if (this.socket.flush(false)) {
						this.socket.registerWriteInterest();
					}
					yield SocketState.UPGRADED;
				}
				default -> SocketState.CLOSED;
			};
		}
		catch (IOException ex) {
			// A reset, or the end of the input.
			return SocketState.CLOSED;
		}
	}

	/**
	 * A client sends nothing after its request, so reading finds the end of the input
	 * once it closes the connection; anything else it sends is discarded.
	 */
	private SocketState readUntilNothingLeft() throws IOException {
		byte[] discarded = new byte[256];
		int read;
		do {
			read = this.socket.read(false, discarded, 0, discarded.length);
		}
		while (read > 0);
		return (read < 0) ? SocketState.CLOSED : SocketState.UPGRADED;
	}

	/** Tomcat closes the connection: the client left, or the server stops. */
	@Override
	public void destroy() {
		LiveStream stream = this.stream;
		if (stream != null) {
			stream.close();
		}
	}

	@Override
	public void timeoutAsync(long now) {
		// Streams time out by themselves (LiveStream).
	}

	@Override
	public void setSslSupport(SSLSupport sslSupport) {
		// Not needed.
	}

	@Override
	public void pause() {
		// Streams are ended before the server stops (ChangeFeed).
	}

}
