package io.github.visitorcounter.live;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's event stream. Changes are coalesced: {@link #offer} only records the
 * latest count and makes sure one send is pending, at most one per
 * {@code minEventInterval}, so a burst of visits costs each client a few events carrying
 * the newest value, never a backlog. Sends run on the executor and never on the Redis
 * client's threads, which a slow client must not stall.
 */
final class LiveStream {

	private static final long RECONNECT_MILLIS = 2000;

	private final String counter;

	private final String client;

	private final SseEmitter emitter;

	private final ScheduledExecutorService timer;

	private final Executor sender;

	private final long minIntervalNanos;

	private final Consumer<LiveStream> onClose;

	private final Object state = new Object();

	/** Serialises writes to the response: events and heartbeats never interleave. */
	private final ReentrantLock writing = new ReentrantLock();

	private final AtomicBoolean closed = new AtomicBoolean();

	private long latest = -1;

	private long sent;

	private long sentAtNanos;

	private boolean flushPending;

	/**
	 * @param lastSent the count the client already has (its {@code Last-Event-ID}), or -1
	 */
	LiveStream(String counter, String client, SseEmitter emitter, long lastSent, ScheduledExecutorService timer,
			Executor sender, Duration minEventInterval, Consumer<LiveStream> onClose) {
		this.counter = counter;
		this.client = client;
		this.emitter = emitter;
		this.sent = lastSent;
		this.sentAtNanos = System.nanoTime() - minEventInterval.toNanos();
		this.timer = timer;
		this.sender = sender;
		this.minIntervalNanos = minEventInterval.toNanos();
		this.onClose = onClose;
		emitter.onCompletion(this::close);
		emitter.onTimeout(this::end);
		emitter.onError((ex) -> close());
	}

	String counter() {
		return this.counter;
	}

	String client() {
		return this.client;
	}

	/** Records a new count; safe to call from any thread, never blocks. */
	void offer(long count) {
		long delayNanos;
		synchronized (this.state) {
			this.latest = count;
			if (this.flushPending || this.closed.get()) {
				return;
			}
			this.flushPending = true;
			delayNanos = Math.max(0, this.sentAtNanos + this.minIntervalNanos - System.nanoTime());
		}
		schedule(delayNanos);
	}

	void heartbeat() {
		if (!this.closed.get() && this.writing.tryLock()) {
			try {
				this.emitter.send(SseEmitter.event().comment("heartbeat"));
			}
			catch (IOException | IllegalStateException ex) {
				close();
			}
			finally {
				this.writing.unlock();
			}
		}
	}

	/** Ends the stream normally, as at shutdown or after its maximum duration. */
	void end() {
		if (!this.closed.get()) {
			try {
				this.emitter.complete();
			}
			catch (IllegalStateException ex) {
				// Already completed by the container.
			}
			close();
		}
	}

	private void schedule(long delayNanos) {
		try {
			this.timer.schedule(() -> this.sender.execute(this::flush), delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RuntimeException ex) {
			// The timer or executor is shutting down: so is the stream.
			end();
		}
	}

	private void flush() {
		long count;
		synchronized (this.state) {
			count = this.latest;
		}
		if (count != this.sent && !this.closed.get()) {
			this.writing.lock();
			try {
				this.emitter.send(SseEmitter.event()
					.id(Long.toString(count))
					.reconnectTime(RECONNECT_MILLIS)
					.data("{\"counter\":\"" + this.counter + "\",\"count\":" + count + "}"));
			}
			catch (IOException | IllegalStateException ex) {
				close();
				return;
			}
			finally {
				this.writing.unlock();
			}
		}
		long delayNanos;
		synchronized (this.state) {
			this.sent = count;
			this.sentAtNanos = System.nanoTime();
			if (this.latest == count || this.closed.get()) {
				this.flushPending = false;
				return;
			}
			delayNanos = this.minIntervalNanos;
		}
		schedule(delayNanos);
	}

	/** Forgets the stream without writing to it: the client is gone or never got it. */
	void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.onClose.accept(this);
		}
	}

}
