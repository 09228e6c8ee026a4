package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The typed call of {@code scripts/register-visit.lua}, which registers one visit with
 * its dedupe, limits, daily uniques and change announcement in one atomic command. The
 * settings become script arguments once; each call adds only what belongs to the request.
 * The names here are the names in the Lua file.
 */
public class RegistrationScript {

	static final String SCRIPT = "register-visit.lua";

	private final LuaScripts scripts;

	private final CounterKeys keys;

	private final CounterRegistry registry;

	private final List<String> generations;

	private final VisitDays days;

	private final Settings settings;

	private final String pagesMax;

	/** What a client has left of its budget when none of it was charged. */
	private final long unchargedBudget;

	/**
	 * Unique request tokens across instances: the sliding-window logs need one member per
	 * request.
	 */
	private final String tokenPrefix = UUID.randomUUID().toString().substring(0, 8) + ":";

	private final AtomicLong tokenSequence = new AtomicLong();

	RegistrationScript(LuaScripts scripts, CounterKeys keys, CounterRegistry registry, CounterProperties counters,
			VisitDays days, ChannelProperties channels, Limits limits, PageProperties pages) {
		this.scripts = scripts;
		this.keys = keys;
		this.registry = registry;
		this.generations = DedupeSets.generations(counters.effectiveDedupeTtl());
		this.days = days;
		this.unchargedBudget = (limits.requestBudget() > 0) ? limits.requestBudget() : -1;
		this.settings = new Settings(seconds(counters.effectiveDedupeTtl()), Integer.toString(limits.requestBudget()),
				millis(limits.requestWindow()), Integer.toString(limits.newVisitorCap()),
				millis(limits.newVisitorWindow()), seconds(days.ttl()), channels.publishCommand(),
				Integer.toString(DedupeSets.BUCKET_FILL), Integer.toString(DedupeSets.BUCKET_CAPACITY));
		this.pagesMax = Integer.toString(pages.maxPerCounter());
	}

	/**
	 * Registers a visit: counts the visitor unless it was seen before, may not be
	 * counted, or its client address is over a limit. A counter that does not exist yet
	 * is admitted first, if the settings let a visit create it: one command for a counter
	 * that exists, four for the first visit of one that does not.
	 * @param counter the counter
	 * @param visitorId the visitor's id, as the client sent it (stored only as a digest)
	 * @param address the client address (stored only as a digest)
	 * @param countable whether the visit may be counted at all; when not, the script only
	 * charges the request budget and reads the count
	 * @return the result; {@link Outcome#UNKNOWN_COUNTER} when the counter does not exist
	 * and may not be created by this visit, in which case nothing was written
	 */
	public Result register(String counter, String visitorId, String address, boolean countable) {
		return register(counter, visitorId, address, countable, null);
	}

	/**
	 * Registers a visit to a page of a counter, for the counter and the page in one
	 * command: as {@link #register(String, String, String, boolean)}, and the visitor is
	 * counted for the page too unless the page counted it before. A page the counter does
	 * not hold yet is created, unless the counter holds as many pages as it may
	 * ({@link PageOutcome#LIMIT}). A visitor the counter does not count now and did not
	 * count before (capped, or not countable) only reads the page's count.
	 * @param page the page's path, normalised ({@link PagePaths#normalise(String)}), or
	 * {@code null} for a visit to the counter alone
	 * @return the result, with the page's in {@link Result#page()}
	 */
	public Result register(String counter, String visitorId, String address, boolean countable, String page) {
		VisitorDigest visitor = this.keys.visitor(visitorId);
		String visitorDigest = visitor.text();
		String addressDigest = this.keys.digest(address);
		int setKeys = this.generations.size() * (DedupeSets.LEVELS + 1);
		List<String> keys = new ArrayList<>(7 + ((page != null) ? 2 * setKeys + 1 : setKeys));
		keys.addAll(List.of(this.keys.count(counter), this.keys.requests(counter, addressDigest),
				this.keys.newVisitors(counter, addressDigest), this.keys.day(counter, this.days.today()),
				this.keys.changes(counter), this.keys.seen(counter, visitorDigest), this.keys.resetting(counter)));
		for (String generation : this.generations) {
			keys.addAll(this.keys.dedupe(counter, generation, visitor));
		}
		if (page != null) {
			String pageDigest = this.keys.pageDigest(page);
			keys.add(this.keys.pageCounts(counter));
			for (String generation : this.generations) {
				keys.addAll(this.keys.dedupeAt(this.keys.pageDedupeState(counter, pageDigest, generation), visitor));
			}
		}
		Arguments arguments = new Arguments(this.settings, countable,
				this.tokenPrefix + this.tokenSequence.incrementAndGet(), visitorDigest, visitor.memberText(),
				(page != null) ? page : "", this.pagesMax);
		Result result = run(keys, arguments);
		if (result.outcome() != Outcome.UNKNOWN_COUNTER) {
			return result;
		}
		if (!countable) {
			// Nothing to count, so nothing to create: only a counter that exists may be
			// refused.
			return this.registry.mayExist(counter)
					? new Result(Outcome.NOT_COUNTABLE, 0, this.unchargedBudget, Duration.ZERO) : result;
		}
		return this.registry.admitByVisit(counter) ? run(keys, arguments) : result;
	}

	private Result run(List<String> keys, Arguments arguments) {
		List<Long> reply = this.scripts.runForIntegers(SCRIPT, keys, arguments.argv());
		PageVisit page = (reply.size() > 4 && reply.get(4) != 0)
				? new PageVisit(PageOutcome.of(reply.get(4)), reply.get(5)) : null;
		return new Result(Outcome.of(reply.get(0)), reply.get(1), reply.get(2), Duration.ofMillis(reply.get(3)), page);
	}

	private static String seconds(Duration duration) {
		return Long.toString(duration.toSeconds());
	}

	private static String millis(Duration duration) {
		return Long.toString(duration.toMillis());
	}

	/**
	 * The limits the script enforces per client address and counter; a budget or cap of 0
	 * is off.
	 *
	 * @param requestBudget requests allowed per window
	 * @param requestWindow the sliding window of the request budget
	 * @param newVisitorCap new visitors allowed per window
	 * @param newVisitorWindow the sliding window of the new-visitor cap
	 */
	public record Limits(int requestBudget, Duration requestWindow, int newVisitorCap, Duration newVisitorWindow) {

	}

	/** The arguments that come from the settings, as the script reads them. */
	private record Settings(String dedupeTtlSeconds, String requestBudget, String requestWindowMillis,
			String newVisitorCap, String newVisitorWindowMillis, String dayTtlSeconds, String publishCommand,
			String bucketFill, String bucketCapacity) {

	}

	/** Every argument of one call, in the order of the script's {@code ARGV}. */
	private record Arguments(Settings settings, boolean countable, String requestToken, String visitorDigest,
			String visitorMember, String pagePath, String pagesMax) {

		private static final String MAX_COUNT = Long.toString(CounterStore.MAX_COUNT);

		Object[] argv() {
			return new Object[] { this.settings.dedupeTtlSeconds(), this.settings.requestBudget(),
					this.settings.requestWindowMillis(), this.settings.newVisitorCap(),
					this.settings.newVisitorWindowMillis(), this.settings.dayTtlSeconds(),
					this.settings.publishCommand(), this.settings.bucketFill(), this.settings.bucketCapacity(),
					this.countable ? "1" : "0", this.requestToken, this.visitorDigest, this.visitorMember,
					this.pagePath, this.pagesMax, MAX_COUNT };
		}

	}

	/**
	 * What the script did.
	 *
	 * @param outcome the outcome
	 * @param count the count after the call
	 * @param remaining requests left in the client's window, or -1 when budgets are off
	 * @param reset time until the oldest logged request leaves the window; when over
	 * budget, until a request is allowed again
	 * @param page what the visit did to the page, or {@code null} for a visit to the
	 * counter alone or one that wrote nothing (an unknown counter, over budget, a reset)
	 */
	public record Result(Outcome outcome, long count, long remaining, Duration reset, PageVisit page) {

		public Result(Outcome outcome, long count, long remaining, Duration reset) {
			this(outcome, count, remaining, reset, null);
		}

	}

	/**
	 * What a visit did to a page.
	 *
	 * @param outcome the outcome
	 * @param count the page's count after the call; 0 for a page not created
	 */
	public record PageVisit(PageOutcome outcome, long count) {

	}

	/**
	 * The outcomes for the page, in the order of the codes the script returns for them, 1
	 * up.
	 */
	public enum PageOutcome {

		/** A visitor new to the page: counted for it. */
		NEW,

		/** A visitor the page counted before. */
		RETURNING,

		/**
		 * A page the counter does not hold, which it may not create: it holds as many
		 * pages as it may.
		 */
		LIMIT,

		/**
		 * A visitor not counted for the counter (capped, or not countable): the page's
		 * count only read.
		 */
		NOT_COUNTED;

		static PageOutcome of(long code) {
			if (code < 1 || code > values().length) {
				throw new IllegalStateException("Unknown page outcome of register-visit.lua: " + code);
			}
			return values()[(int) code - 1];
		}

	}

	/** The outcomes the script reports, by the code it returns for each. */
	public enum Outcome {

		/**
		 * The counter does not exist and this visit may not create it: nothing was
		 * written.
		 */
		UNKNOWN_COUNTER(-2),

		/** Over the request budget: nothing was read or written but the budget check. */
		OVER_BUDGET(-1),

		/** A visitor seen before: not counted again. */
		RETURNING(0),

		/** A new visitor: counted. */
		NEW(1),

		/** A new visitor past its address's new-visitor cap: not counted. */
		CAPPED(2),

		/** A visit that may not be counted (see {@code countable}): only read. */
		NOT_COUNTABLE(3),

		/** The owner is resetting the counter: nothing was written. */
		RESETTING(4);

		private final long code;

		Outcome(long code) {
			this.code = code;
		}

		static Outcome of(long code) {
			for (Outcome outcome : values()) {
				if (outcome.code == code) {
					return outcome;
				}
			}
			throw new IllegalStateException("Unknown outcome of register-visit.lua: " + code);
		}

	}

}
