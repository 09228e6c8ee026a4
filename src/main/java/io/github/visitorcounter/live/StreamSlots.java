package io.github.visitorcounter.live;

import io.github.visitorcounter.web.AddressSlots;

/**
 * Counts open streams per instance and per client address. Each stream holds an open
 * connection for minutes, so without caps one client could exhaust the server's sockets.
 */
class StreamSlots {

	private final AddressSlots slots;

	StreamSlots(int maxStreams, int maxPerClient) {
		this.slots = new AddressSlots(maxStreams, maxPerClient);
	}

	/**
	 * Takes a slot for the address.
	 * @throws StreamLimitException when a cap is reached
	 */
	void acquire(String address) {
		switch (this.slots.tryTake(address)) {
			case ALL_TAKEN -> throw StreamLimitException.instanceFull();
			case ADDRESS_FULL -> throw StreamLimitException.clientFull();
			case TAKEN -> {
			}
		}
	}

	void release(String address) {
		this.slots.release(address);
	}

	int open() {
		return this.slots.taken();
	}

}
