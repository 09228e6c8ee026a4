package io.github.visitorcounter.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client's event stream. Changes are coalesced: {@link #offer} only records the
 * latest count and makes sure one send is pending, at most one per
 * {@code minEventInterval}, so a burst of visits costs each client a few events carrying
 * the newest value, never a backlog. Sends run on the timer thread: they never block (see
 * {@link EventStreamConnection}), so one slow client cannot hold up the others.
 */
final class LiveStream {

	private static final long RECONNECT_MILLIS = 2000;

	private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

	/** How long Tomcat may take to hand the connection over after the response head. */
	private static final long CONNECT_TIMEOUT_NANOS = Duration.ofSeconds(10).toNanos();

	private final String counter;

	private final String client;

	private final ScheduledExecutorService timer;

	private final long minIntervalNanos;

	private final long openedAtNanos = System.nanoTime();

	private final Consumer<LiveStream> onClose;

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Guarded by {@code this}, as are the fields below. */
	private EventStreamConnection connection;

	private long latest = -1;

	private long sent;

	private long sentAtNanos;

	private boolean flushPending;

	/**
	 * @param client the client's address group, which the stream counts against
	 * @param lastSent the count the client already has (its {@code Last-Event-ID}), or -1
	 */
	LiveStream(String counter, String client, long lastSent, ScheduledExecutorService timer, Duration minEventInterval,
			Consumer<LiveStream> onClose) {
		this.counter = counter;
		this.client = client;
		this.sent = lastSent;
		this.minIntervalNanos = minEventInterval.toNanos();
		this.sentAtNanos = this.openedAtNanos - this.minIntervalNanos;
		this.timer = timer;
		this.onClose = onClose;
	}

	String counter() {
		return this.counter;
	}

	String client() {
		return this.client;
	}

	/** The response head is out and the connection is the stream's: sends may start. */
	void connected(EventStreamConnection connection) {
		synchronized (this) {
			if (!this.closed.get()) {
				this.connection = connection;
				scheduleFlushIfNeeded();
				return;
			}
		}
		// Ended before it started, as at shutdown.
		connection.close();
	}

	/** Records a new count; safe to call from any thread, never blocks. */
	void offer(long count) {
		synchronized (this) {
			this.latest = count;
			scheduleFlushIfNeeded();
		}
	}

	/**
	 * Sends a comment line, which keeps proxies from closing an idle stream. Also ends a
	 * stream that reached {@code maxDuration}, or that Tomcat never handed over.
	 */
	void heartbeat(Duration maxDuration) {
		EventStreamConnection connection;
		synchronized (this) {
			connection = this.connection;
		}
		long age = System.nanoTime() - this.openedAtNanos;
		if (age >= maxDuration.toNanos() || (connection == null && age >= CONNECT_TIMEOUT_NANOS)) {
			end();
		}
		else if (connection != null) {
			send(connection, HEARTBEAT);
		}
	}

	/**
	 * Ends the stream: closes the connection, so that the client sees the end and
	 * reconnects (at shutdown, after its maximum duration, or when it does not read).
	 */
	void end() {
		EventStreamConnection connection;
		synchronized (this) {
			connection = this.connection;
		}
		close();
		if (connection != null) {
			connection.close();
		}
	}

	/** Forgets the stream without writing to it: the client is gone or never got it. */
	void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.onClose.accept(this);
		}
	}

	/** Must hold the lock on {@code this}. */
	private void scheduleFlushIfNeeded() {
		if (this.flushPending || this.connection == null || this.latest == this.sent || this.closed.get()) {
			return;
		}
		this.flushPending = true;
		long delayNanos = Math.max(0, this.sentAtNanos + this.minIntervalNanos - System.nanoTime());
		try {
			this.timer.schedule(this::flush, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The timer is shutting down: ChangeFeed ends every stream.
			this.flushPending = false;
		}
	}

	private void flush() {
		long count;
		EventStreamConnection connection;
		synchronized (this) {
			this.flushPending = false;
			count = this.latest;
			connection = this.connection;
			this.sent = count;
			this.sentAtNanos = System.nanoTime();
		}
		if (!this.closed.get() && send(connection, event(count))) {
			synchronized (this) {
				scheduleFlushIfNeeded();
			}
		}
	}

	private byte[] event(long count) {
		return ("id:" + count + "\nretry:" + RECONNECT_MILLIS + "\ndata:{\"counter\":\"" + this.counter
				+ "\",\"count\":" + count + "}\n\n")
			.getBytes(StandardCharsets.UTF_8);
	}

	private boolean send(EventStreamConnection connection, byte[] bytes) {
		if (connection.send(bytes)) {
			return true;
		}
		end();
		return false;
	}

}
