package io.github.visitorcounter.system;

/**
 * Published when a request failed because Redis did not answer, so that what is cached
 * about Redis's health is asked again at once: a Redis that hangs without dropping the
 * connection shows in the next health probe, not at the end of the check interval.
 */
public record StorageFailed() {

}
