package io.github.visitorcounter.counter;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, in memory, how a counter comes to exist. A listed name exists because the
 * owner said so; a name that matches a listed pattern, or any name when nothing is
 * listed, is created by its first visit while fewer than {@code maxCounters} were; any
 * other name is served only if the owner created it through the owner API.
 */
public class ServedCounters {

	private final Set<String> names;

	private final List<Pattern> patterns;

	private final int maxCounters;

	ServedCounters(ServedCountersProperties properties) {
		this.names = Set.copyOf(properties.counters().stream().filter((entry) -> !entry.contains("*")).toList());
		this.patterns = properties.counters()
			.stream()
			.filter((entry) -> entry.contains("*"))
			.map((pattern) -> Pattern.compile(Pattern.quote(pattern).replace("*", "\\E[a-z0-9._-]*\\Q")))
			.toList();
		this.maxCounters = properties.maxCounters();
	}

	/** How a counter of that name comes to exist. */
	public Admission admissionOf(String counter) {
		if (this.names.contains(counter)) {
			return Admission.LISTED;
		}
		if ((this.names.isEmpty() && this.patterns.isEmpty())
				|| this.patterns.stream().anyMatch((pattern) -> pattern.matcher(counter).matches())) {
			return Admission.CREATED_BY_VISITS;
		}
		return Admission.CREATED_BY_OWNER;
	}

	/**
	 * Whether a counter is served: it exists, or it would be served before it exists. The
	 * one rule behind every read's 404 {@code unknown-counter}.
	 */
	public boolean serves(String counter, boolean exists) {
		return exists || servesBeforeCreated(counter);
	}

	/**
	 * Whether a counter is served even while it does not exist: listed, or one its first
	 * visit may create; not one only the owner creates.
	 */
	public boolean servesBeforeCreated(String counter) {
		return admissionOf(counter) != Admission.CREATED_BY_OWNER;
	}

	int maxCounters() {
		return this.maxCounters;
	}

	/** How a counter comes to exist. */
	public enum Admission {

		/** Named in the settings: it always exists. */
		LISTED,

		/** Its first visit creates it, while the cap allows. */
		CREATED_BY_VISITS,

		/** Only the owner creates it, through the owner API. */
		CREATED_BY_OWNER

	}

}
