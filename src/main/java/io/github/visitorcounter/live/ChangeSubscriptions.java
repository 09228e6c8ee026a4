package io.github.visitorcounter.live;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

import io.github.visitorcounter.counter.CounterKeys;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The instance's one pub/sub connection to Redis, whatever the number of streams:
 * subscribes and unsubscribes counters' change channels with {@code SSUBSCRIBE} (sharded
 * channels, Redis 7.0+) or {@code SUBSCRIBE}, as configured, and hands each change to the
 * listener. Opened with the first subscription; Lettuce reconnects and resubscribes it by
 * itself. In a cluster it also follows topology changes, which sharded subscriptions do
 * not follow on their own.
 */
final class ChangeSubscriptions {

	private static final Log logger = LogFactory.getLog(ChangeSubscriptions.class);

	/** How long after a cluster topology change the sharded subscriptions follow it. */
	static final Duration TOPOLOGY_SETTLE_TIME = Duration.ofSeconds(1);

	private final LettuceConnectionFactory connectionFactory;

	private final CounterKeys keys;

	private final boolean sharded;

	private final ChangeListener listener;

	/** When the cluster topology last changed ({@link System#nanoTime()}), or 0. */
	private final AtomicLong topologyChangedAt = new AtomicLong();

	/** Guarded by {@code this}, as are all the fields below. */
	private boolean open;

	private StatefulRedisPubSubConnection<String, String> connection;

	/** Cluster topology changes, while the connection is open. */
	private Disposable topologyChanges;

	ChangeSubscriptions(LettuceConnectionFactory connectionFactory, CounterKeys keys, boolean sharded,
			ChangeListener listener) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.sharded = sharded;
		this.listener = listener;
	}

	/** Allows subscriptions, after {@link #close} too. */
	synchronized void open() {
		this.open = true;
	}

	/**
	 * Subscribes the counter's channel, opening the connection if need be.
	 * @return completes once Redis confirmed the subscription
	 * @throws StreamLimitException once closed
	 * @throws DataAccessResourceFailureException when the connection cannot be opened
	 */
	synchronized RedisFuture<Void> subscribe(String counter) {
		String channel = this.keys.changes(counter);
		return this.sharded ? connection().async().ssubscribe(channel) : connection().async().subscribe(channel);
	}

	/**
	 * Fire and forget: if it fails, the channel stays subscribed and its messages find no
	 * stream.
	 */
	synchronized void unsubscribe(String counter) {
		if (this.connection != null && this.connection.isOpen()) {
			String channel = this.keys.changes(counter);
			if (this.sharded) {
				this.connection.async().sunsubscribe(channel);
			}
			else {
				this.connection.async().unsubscribe(channel);
			}
		}
	}

	/**
	 * Whether the cluster topology changed and has been quiet for a moment since: then
	 * the sharded subscriptions must follow it ({@link #resubscribe}). Lettuce announces
	 * a change before it has reloaded its slot table, and a subscription sent at once
	 * could still go to the old master. Answers {@code true} once per change.
	 */
	boolean topologySettled() {
		long changedAt = this.topologyChangedAt.get();
		return changedAt != 0 && System.nanoTime() - changedAt >= TOPOLOGY_SETTLE_TIME.toNanos()
				&& this.topologyChangedAt.compareAndSet(changedAt, 0);
	}

	/**
	 * Lettuce neither moves a sharded subscription to the new master after a failover nor
	 * to a new owner after resharding (lettuce#3213): subscribing again routes it by the
	 * current topology, and a node that already has it ignores the repeat.
	 */
	synchronized void resubscribe(Collection<String> counters) {
		if (this.connection != null) {
			for (String counter : counters) {
				this.connection.async().ssubscribe(this.keys.changes(counter));
			}
		}
	}

	/** Closes the connection; subscribing fails until {@link #open} is called again. */
	synchronized void close() {
		this.open = false;
		if (this.topologyChanges != null) {
			this.topologyChanges.dispose();
			this.topologyChanges = null;
		}
		if (this.connection != null) {
			this.connection.closeAsync();
			this.connection = null;
		}
	}

	private StatefulRedisPubSubConnection<String, String> connection() {
		if (!this.open) {
			// Closed meanwhile: a connection opened now would never be closed.
			throw StreamLimitException.shuttingDown();
		}
		if (this.connection == null) {
			try {
				AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
				StatefulRedisPubSubConnection<String, String> opened = (client instanceof RedisClusterClient cluster)
						? cluster.connectPubSub(StringCodec.UTF8)
						: ((RedisClient) client).connectPubSub(StringCodec.UTF8, standaloneUri());
				opened.addListener(new Listener());
				if (client instanceof RedisClusterClient && this.sharded) {
					this.topologyChanges = client.getResources()
						.eventBus()
						.get()
						.filter(ClusterTopologyChangedEvent.class::isInstance)
						.subscribe((event) -> this.topologyChangedAt.set(System.nanoTime()),
								(ex) -> logger.warn("Stopped following cluster topology changes: " + ex));
				}
				this.connection = opened;
			}
			catch (RuntimeException ex) {
				throw new DataAccessResourceFailureException("Could not open the pub/sub connection: " + ex, ex);
			}
		}
		return this.connection;
	}

	/**
	 * Spring Data creates the standalone client without a default URI, so the pub/sub
	 * connection is given the same server, credentials and TLS as the factory's own
	 * connections. (A cluster client knows its seed nodes.)
	 */
	private RedisURI standaloneUri() {
		LettuceConnectionFactory factory = this.connectionFactory;
		RedisStandaloneConfiguration standalone = factory.getStandaloneConfiguration();
		RedisURI.Builder uri = RedisURI.builder()
			.withHost(factory.getHostName())
			.withPort(factory.getPort())
			.withDatabase(factory.getDatabase())
			.withSsl(factory.isUseSsl())
			.withVerifyPeer(factory.isVerifyPeer())
			.withStartTls(factory.isStartTls())
			.withTimeout(Duration.ofMillis(factory.getTimeout()));
		if (standalone.getPassword().isPresent()) {
			char[] password = standalone.getPassword().get();
			if (standalone.getUsername() != null) {
				uri.withAuthentication(standalone.getUsername(), password);
			}
			else {
				uri.withPassword(password);
			}
		}
		return uri.build();
	}

	/** Receives the changed counts. */
	@FunctionalInterface
	interface ChangeListener {

		/** Called on a Redis client thread: must not block. */
		void changed(String counter, long count);

	}

	private final class Listener extends RedisPubSubAdapter<String, String> {

		@Override
		public void message(String channel, String message) {
			received(channel, message);
		}

		@Override
		public void smessage(String channel, String message) {
			received(channel, message);
		}

		private void received(String channel, String message) {
			try {
				ChangeSubscriptions.this.listener.changed(ChangeSubscriptions.this.keys.counterOf(channel),
						Long.parseLong(message));
			}
			catch (RuntimeException ex) {
				logger.warn("Ignored a malformed change on " + channel + ": " + ex.getMessage());
			}
		}

	}

}
