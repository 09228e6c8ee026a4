package io.github.visitorcounter.web;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's NIO connector with a limit on the total time a client may take to send a
 * request's line and headers. Tomcat's own {@code connectionTimeout} applies to each
 * read, so a client that sends a byte every few seconds would keep its connection (and,
 * in numbers, every connection slot) for as long as it likes; this one is closed once its
 * request has taken longer than {@link #setRequestHeadersTimeout(int)}. Waiting for
 * headers holds no request thread (the poller waits), so the check runs once a second on
 * Tomcat's utility thread, and closes an overdue connection the way Tomcat closes one
 * whose read timed out.
 */
public class RequestHeadersDeadlineProtocol extends Http11NioProtocol {

	private volatile long requestHeadersTimeoutNanos = TimeUnit.SECONDS.toNanos(10);

	/**
	 * Connections that sent only blank lines since their last answer (Tomcat's parser
	 * keeps no request state for those), with the last write seen and when.
	 */
	private final Map<SocketWrapperBase<NioChannel>, BlankLines> blankLines = new ConcurrentHashMap<>();

	private volatile ScheduledFuture<?> check;

	public int getRequestHeadersTimeout() {
		return (int) TimeUnit.NANOSECONDS.toMillis(this.requestHeadersTimeoutNanos);
	}

	/**
	 * @param millis the longest a client may take from the first byte of a request to the
	 * end of its headers
	 */
	public void setRequestHeadersTimeout(int millis) {
		this.requestHeadersTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
	}

	@Override
	public void start() throws Exception {
		super.start();
		this.check = getUtilityExecutor().scheduleWithFixedDelay(this::closeOverdueConnections, 1, 1, TimeUnit.SECONDS);
	}

	@Override
	public void stop() throws Exception {
		ScheduledFuture<?> scheduled = this.check;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
		super.stop();
	}

	void closeOverdueConnections() {
		long now = System.nanoTime();
		Set<SocketWrapperBase<NioChannel>> connections = getEndpoint().getConnections();
		this.blankLines.keySet().retainAll(connections);
		for (SocketWrapperBase<NioChannel> connection : connections) {
			// Held while a thread works on the connection: then it is not waiting for
			// headers.
			if (!connection.getLock().tryLock()) {
				this.blankLines.remove(connection);
				continue;
			}
			try {
				if (!connection.isClosed() && overdue(connection, now)) {
					this.blankLines.remove(connection);
					getEndpoint().processSocket(connection, SocketEvent.ERROR, false);
				}
			}
			finally {
				connection.getLock().unlock();
			}
		}
	}

	private boolean overdue(SocketWrapperBase<NioChannel> connection, long now) {
		if (connection.getCurrentProcessor() instanceof AbstractProcessor processor) {
			this.blankLines.remove(connection);
			if (processor.isAsync() || processor.isUpgrade()) {
				// Past its headers; the body reader and the streams keep their own
				// deadlines.
				return false;
			}
			// Between its dispatches, a connection keeps its processor only while its
			// request line and headers are incomplete.
			long started = processor.getRequest().getStartTimeNanos();
			return started > 0 && now - started > this.requestHeadersTimeoutNanos;
		}
		// No request in progress: idle (bounded by the keep-alive timeout), or, if it
		// read something since it last answered, nothing but blank lines, which Tomcat
		// skips without remembering when they began.
		if (!(connection instanceof NioSocketWrapper nio) || nio.getLastRead() <= nio.getLastWrite()) {
			this.blankLines.remove(connection);
			return false;
		}
		BlankLines since = this.blankLines.compute(connection,
				(key, seen) -> (seen != null && seen.lastWrite() == nio.getLastWrite()) ? seen
						: new BlankLines(nio.getLastWrite(), now));
		return now - since.seenAt() > this.requestHeadersTimeoutNanos;
	}

	private record BlankLines(long lastWrite, long seenAt) {

	}

}
