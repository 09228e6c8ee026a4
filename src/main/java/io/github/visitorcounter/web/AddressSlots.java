package io.github.visitorcounter.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A limited number of places, shared out among client addresses: at most {@code max} in
 * all, and at most {@code maxPerAddress} to one address, so that one client cannot take
 * every place from the others. For what each held place costs the server (an open
 * stream's connection, an awaited body's buffers).
 */
public final class AddressSlots {

	/** What {@link #tryTake(String)} did. */
	public enum Outcome {

		/** A place was taken; {@link #release(String)} gives it back. */
		TAKEN,

		/** None was left. */
		ALL_TAKEN,

		/** The address holds its share. */
		ADDRESS_FULL

	}

	private final int max;

	private final int maxPerAddress;

	private final AtomicInteger taken = new AtomicInteger();

	private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

	public AddressSlots(int max, int maxPerAddress) {
		this.max = max;
		this.maxPerAddress = maxPerAddress;
	}

	public Outcome tryTake(String address) {
		if (this.taken.incrementAndGet() > this.max) {
			this.taken.decrementAndGet();
			return Outcome.ALL_TAKEN;
		}
		boolean[] granted = new boolean[1];
		this.byAddress.compute(address, (key, held) -> {
			int count = (held != null) ? held : 0;
			if (count >= this.maxPerAddress) {
				return held;
			}
			granted[0] = true;
			return count + 1;
		});
		if (!granted[0]) {
			this.taken.decrementAndGet();
			return Outcome.ADDRESS_FULL;
		}
		return Outcome.TAKEN;
	}

	public void release(String address) {
		this.byAddress.computeIfPresent(address, (key, held) -> (held > 1) ? held - 1 : null);
		this.taken.decrementAndGet();
	}

	public int taken() {
		return this.taken.get();
	}

}
