package io.github.visitorcounter.testing;

import java.time.Duration;

/**
 * Lets time pass, for tests that keep a fault or a load going for a while.
 */
public final class Sleep {

	private Sleep() {
	}

	/** Sleeps; an interruption ends the test. */
	public static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
