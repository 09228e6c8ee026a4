package io.github.visitorcounter.stats;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.visitorcounter.counter.CounterKeys;
import io.github.visitorcounter.counter.DayProperties;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Reads the daily HyperLogLogs that the registration script fills. Every key of a counter
 * shares its hash tag, so a multi-key {@code PFCOUNT} (a true union) works on a cluster
 * too, and all reads of one request go out as one pipeline.
 */
@Service
class DailyVisitors {

	private static final int WEEK = 7;

	private static final int MONTH = 30;

	private final StringRedisTemplate redis;

	private final CounterKeys keys;

	private final DayProperties days;

	private final Clock clock;

	DailyVisitors(StringRedisTemplate redis, CounterKeys keys, DayProperties days, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.days = days;
		this.clock = clock;
	}

	StatsResponse stats(String counter, int days) {
		LocalDate today = this.days.today(this.clock);
		int span = Math.max(days, MONTH);
		List<LocalDate> dates = new ArrayList<>(span);
		byte[][] dayKeys = new byte[span][];
		for (int i = 0; i < span; i++) {
			dates.add(today.minusDays(i));
			dayKeys[i] = bytes(this.keys.day(counter, dates.get(i)));
		}
		byte[] countKey = bytes(this.keys.count(counter));
		List<Object> replies = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			connection.stringCommands().get(countKey);
			pfCount(connection, Arrays.copyOf(dayKeys, WEEK));
			pfCount(connection, Arrays.copyOf(dayKeys, MONTH));
			for (int i = days - 1; i >= 0; i--) {
				pfCount(connection, dayKeys[i]);
			}
			return null;
		});
		List<StatsResponse.Day> daily = new ArrayList<>(days);
		for (int i = 0; i < days; i++) {
			daily.add(new StatsResponse.Day(dates.get(days - 1 - i), asLong(replies.get(3 + i))));
		}
		return new StatsResponse(counter, asLong(replies.get(0)), daily.get(days - 1).visitors(),
				asLong(replies.get(1)), asLong(replies.get(2)), daily);
	}

	private static void pfCount(RedisConnection connection, byte[]... keys) {
		connection.hyperLogLogCommands().pfCount(keys);
	}

	private static long asLong(Object reply) {
		if (reply instanceof Number number) {
			return number.longValue();
		}
		return (reply != null) ? Long.parseLong(reply.toString()) : 0;
	}

	private static byte[] bytes(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

}
