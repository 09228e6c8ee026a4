package io.github.visitorcounter.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A connection of the test's own to a Redis, beside the application's: to break things
 * ({@code SCRIPT FLUSH}, {@code CLIENT KILL}) and to look at what was stored.
 */
public final class DirectRedis implements AutoCloseable {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	public DirectRedis(RedisServer server) {
		RedisURI uri = RedisURI.create(server.url());
		uri.setTimeout(Duration.ofSeconds(10));
		this.client = RedisClient.create(uri);
		this.connection = this.client.connect();
	}

	public RedisCommands<String, String> commands() {
		return this.connection.sync();
	}

	/**
	 * The number of keys that match a {@code SCAN} pattern, counted with {@code SCAN}.
	 */
	public long countKeys(String pattern) {
		long count = 0;
		ScanArgs args = ScanArgs.Builder.matches(pattern).limit(1000);
		KeyScanCursor<String> cursor = commands().scan(args);
		count += cursor.getKeys().size();
		while (!cursor.isFinished()) {
			cursor = commands().scan(ScanCursor.of(cursor.getCursor()), args);
			count += cursor.getKeys().size();
		}
		return count;
	}

	/** The count stored for a counter, 0 when it has none. */
	public long counter(String counter) {
		String count = commands().get("visitors:{" + counter + "}:count");
		return (count != null) ? Long.parseLong(count) : 0;
	}

	/**
	 * The number of visitors stored as seen for a counter: the members of its dedupe
	 * sets' buckets, and its seen-keys of the layout before them.
	 */
	public long seenVisitors(String counter) {
		return dedupeMembers(counter).size() + countKeys("visitors:{" + counter + "}:seen:*");
	}

	/** Every member of a counter's dedupe sets' buckets. */
	public List<String> dedupeMembers(String counter) {
		List<String> members = new ArrayList<>();
		ScanArgs args = ScanArgs.Builder.matches("visitors:{" + counter + "}:v*:*").limit(1000);
		KeyScanCursor<String> cursor = commands().scan(args);
		while (true) {
			cursor.getKeys().forEach((bucket) -> members.addAll(commands().smembers(bucket)));
			if (cursor.isFinished()) {
				return members;
			}
			cursor = commands().scan(ScanCursor.of(cursor.getCursor()), args);
		}
	}

	/** The number of subscribers of a sharded pub/sub channel. */
	public long shardSubscribers(String channel) {
		return commands().pubsubShardNumsub(channel).get(channel);
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.close();
	}

}
