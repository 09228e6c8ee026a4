package io.github.visitorcounter.live;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open streams per instance and per client address. Each stream holds an open
 * connection for minutes, so without caps one client could exhaust the server's sockets.
 */
class StreamSlots {

	private final int maxStreams;

	private final int maxPerClient;

	private final AtomicInteger open = new AtomicInteger();

	private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

	StreamSlots(int maxStreams, int maxPerClient) {
		this.maxStreams = maxStreams;
		this.maxPerClient = maxPerClient;
	}

	/**
	 * Takes a slot for the address.
	 * @throws StreamLimitException when a cap is reached
	 */
	void acquire(String address) {
		if (this.open.incrementAndGet() > this.maxStreams) {
			this.open.decrementAndGet();
			throw StreamLimitException.instanceFull();
		}
		boolean[] granted = { false };
		this.perClient.compute(address, (key, streams) -> {
			int current = (streams != null) ? streams : 0;
			if (current >= this.maxPerClient) {
				return streams;
			}
			granted[0] = true;
			return current + 1;
		});
		if (!granted[0]) {
			this.open.decrementAndGet();
			throw StreamLimitException.clientFull();
		}
	}

	void release(String address) {
		this.perClient.computeIfPresent(address, (key, streams) -> (streams > 1) ? streams - 1 : null);
		this.open.decrementAndGet();
	}

	int open() {
		return this.open.get();
	}

}
