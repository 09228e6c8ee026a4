package io.github.visitorcounter.testing;

import java.time.Duration;

/**
 * When something began and ended ({@link System#nanoTime()}): a fault made under load, to
 * tell the answers around it from the others.
 *
 * @param beganNanos just before it began
 * @param endedNanos just after it ended
 */
public record Interval(long beganNanos, long endedNanos) {

	/** Runs the action and returns when it began and ended. */
	public static Interval of(Runnable action) {
		long began = System.nanoTime();
		action.run();
		return new Interval(began, System.nanoTime());
	}

	public Duration duration() {
		return Duration.ofNanos(this.endedNanos - this.beganNanos);
	}

}
