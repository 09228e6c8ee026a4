package io.github.visitorcounter.live;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.visitorcounter.counter.ChannelProperties;
import io.github.visitorcounter.counter.CounterKeys;
import io.github.visitorcounter.counter.CounterStore;
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

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans count changes out from Redis to this instance's event streams.
 * <p>
 * The instance holds one pub/sub connection, whatever the number of clients, and
 * subscribes it to a counter's channel while at least one local stream watches that
 * counter: {@code SSUBSCRIBE} (sharded channels, Redis 7.0+) or {@code SUBSCRIBE}, as
 * configured. Pub/sub is fire-and-forget, so every heartbeat also re-reads the count of
 * each watched counter: a change published while the connection was down (Lettuce
 * reconnects and resubscribes by itself) still reaches the streams. In a cluster, sharded
 * subscriptions follow topology changes, such as a failover, by subscribing again.
 * <p>
 * Nothing here holds a thread per stream: streams are asynchronous requests, one timer
 * thread only schedules, and writes run on a virtual thread each (Java 21+; on Java 17
 * the application's task executor, a pool). A write to a client that stopped reading
 * blocks until the connection times out, and must not hold up the other streams the way
 * it would in a small pool; requests run on platform threads, which suit them better.
 */
@Component
class ChangeFeed implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ChangeFeed.class);

	/** How long a new stream waits for its counter's subscription to be confirmed. */
	private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(2);

	/** How long after a cluster topology change the sharded subscriptions follow it. */
	private static final Duration TOPOLOGY_SETTLE_TIME = Duration.ofSeconds(1);

	private final LettuceConnectionFactory connectionFactory;

	private final CounterKeys keys;

	private final CounterStore counterStore;

	private final LiveProperties properties;

	private final boolean sharded;

	private final Executor sender;

	private final StreamSlots slots;

	private final Map<String, Set<LiveStream>> watchers = new ConcurrentHashMap<>();

	/** The newest count seen per watched counter, so a re-read never goes backwards. */
	private final Map<String, Long> lastKnown = new ConcurrentHashMap<>();

	private final AtomicBoolean resyncing = new AtomicBoolean();

	private volatile ScheduledThreadPoolExecutor timer;

	/**
	 * Cluster topology changes, while the pub/sub connection is open; guarded by
	 * {@code this}.
	 */
	private Disposable topologyChanges;

	/** When the cluster topology last changed ({@link System#nanoTime()}), or 0. */
	private final AtomicLong topologyChangedAt = new AtomicLong();

	/** Guarded by {@code this}, as are subscribing and unsubscribing. */
	private StatefulRedisPubSubConnection<String, String> connection;

	ChangeFeed(LettuceConnectionFactory connectionFactory, CounterKeys keys, CounterStore counterStore,
			LiveProperties properties, ChannelProperties channels,
			@Qualifier("applicationTaskExecutor") Executor sender) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.counterStore = counterStore;
		this.properties = properties;
		this.sharded = channels.sharded();
		this.sender = (Runtime.version().feature() >= 21) ? new VirtualThreadTaskExecutor("live-") : sender;
		this.slots = new StreamSlots(properties.maxStreams(), properties.maxStreamsPerClient());
	}

	/**
	 * Opens a stream of the counter's count for a client.
	 * @param lastEventId the count the client already shows, or -1
	 * @throws StreamLimitException beyond a cap, or while shutting down
	 * @throws DataAccessException when Redis is unavailable
	 */
	SseEmitter open(String counter, String client, long lastEventId) {
		ScheduledThreadPoolExecutor timer = this.timer;
		if (timer == null) {
			throw StreamLimitException.shuttingDown();
		}
		this.slots.acquire(client);
		SseEmitter emitter = new SseEmitter(this.properties.maxDuration().toMillis());
		LiveStream stream = new LiveStream(counter, client, emitter, lastEventId, timer, this.sender,
				this.properties.minEventInterval(), this::leave);
		try {
			join(stream);
			// Read after subscribing: a change in between is then seen twice, never
			// missed.
			long count = this.counterStore.count(counter);
			this.lastKnown.merge(counter, count, Math::max);
			stream.offer(count);
			return emitter;
		}
		catch (RuntimeException ex) {
			stream.close();
			throw ex;
		}
	}

	int openStreams() {
		return this.slots.open();
	}

	private void join(LiveStream stream) {
		String counter = stream.counter();
		RedisFuture<Void> subscribed = null;
		synchronized (this) {
			Set<LiveStream> streams = this.watchers.computeIfAbsent(counter, (key) -> ConcurrentHashMap.newKeySet());
			streams.add(stream);
			if (streams.size() == 1) {
				String channel = this.keys.changes(counter);
				subscribed = this.sharded ? connection().async().ssubscribe(channel)
						: connection().async().subscribe(channel);
			}
		}
		if (subscribed != null) {
			awaitSubscription(counter, subscribed);
		}
	}

	private void awaitSubscription(String counter, RedisFuture<Void> subscribed) {
		try {
			subscribed.get(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			endAll(counter);
			throw new DataAccessResourceFailureException("Interrupted while subscribing", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			// Streams of this counter would never hear of a change: end them, so their
			// clients reconnect to a working subscription.
			endAll(counter);
			throw new DataAccessResourceFailureException("Could not subscribe to " + counter + "'s changes", ex);
		}
	}

	private void leave(LiveStream stream) {
		this.slots.release(stream.client());
		String counter = stream.counter();
		synchronized (this) {
			Set<LiveStream> streams = this.watchers.get(counter);
			if (streams != null && streams.remove(stream) && streams.isEmpty()) {
				this.watchers.remove(counter);
				this.lastKnown.remove(counter);
				if (this.connection != null && this.connection.isOpen()) {
					String channel = this.keys.changes(counter);
					// Fire and forget: if it fails, the channel stays subscribed and its
					// messages find no stream.
					if (this.sharded) {
						this.connection.async().sunsubscribe(channel);
					}
					else {
						this.connection.async().unsubscribe(channel);
					}
				}
			}
		}
	}

	private StatefulRedisPubSubConnection<String, String> connection() {
		if (this.timer == null) {
			// Stopped meanwhile: a connection opened now would never be closed.
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

	/**
	 * Lettuce neither moves a sharded subscription to the new master after a failover nor
	 * to a new owner after resharding (lettuce#3213): subscribing again routes it by the
	 * current topology, and a node that already has it ignores the repeat. Then a re-read
	 * picks up what was published meanwhile.
	 */
	private void resubscribeShardChannels() {
		synchronized (this) {
			if (this.connection == null) {
				return;
			}
			for (String counter : this.watchers.keySet()) {
				this.connection.async().ssubscribe(this.keys.changes(counter));
			}
		}
		if (this.resyncing.compareAndSet(false, true)) {
			resync();
		}
	}

	private void publishLocally(String counter, long count) {
		this.lastKnown.put(counter, count);
		Set<LiveStream> streams = this.watchers.get(counter);
		if (streams != null) {
			streams.forEach((stream) -> stream.offer(count));
		}
	}

	private void endAll(String counter) {
		Set<LiveStream> streams = this.watchers.get(counter);
		if (streams != null) {
			List.copyOf(streams).forEach(LiveStream::end);
		}
	}

	private void tick() {
		this.watchers.values()
			.forEach((streams) -> streams.forEach((stream) -> this.sender.execute(stream::heartbeat)));
		if (this.resyncing.compareAndSet(false, true)) {
			this.sender.execute(this::resync);
		}
	}

	/**
	 * Re-subscribes once the topology has been quiet for a moment: Lettuce announces a
	 * change before it has reloaded its slot table, and a subscription sent at once could
	 * still go to the old master.
	 */
	private void followTopology() {
		long changedAt = this.topologyChangedAt.get();
		if (changedAt != 0 && System.nanoTime() - changedAt >= TOPOLOGY_SETTLE_TIME.toNanos()
				&& this.topologyChangedAt.compareAndSet(changedAt, 0)) {
			this.sender.execute(this::resubscribeShardChannels);
		}
	}

	private void resync() {
		try {
			for (String counter : this.watchers.keySet()) {
				long count = this.counterStore.count(counter);
				Long known = this.lastKnown.get(counter);
				if (known == null || count > known) {
					publishLocally(counter, count);
				}
			}
		}
		catch (DataAccessException ex) {
			logger.debug("Could not re-read watched counts: " + ex.getMessage());
		}
		finally {
			this.resyncing.set(false);
		}
	}

	@Override
	public void start() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("live-timer-"));
		timer.setRemoveOnCancelPolicy(true);
		long heartbeat = this.properties.heartbeat().toNanos();
		timer.scheduleAtFixedRate(this::tick, heartbeat, heartbeat, TimeUnit.NANOSECONDS);
		long settle = TOPOLOGY_SETTLE_TIME.toNanos();
		timer.scheduleWithFixedDelay(this::followTopology, settle, settle, TimeUnit.NANOSECONDS);
		this.timer = timer;
	}

	/**
	 * Ends every stream before the web server's graceful shutdown, which would otherwise
	 * wait for these never-ending requests until its timeout.
	 */
	@Override
	public void stop() {
		ScheduledThreadPoolExecutor timer = this.timer;
		this.timer = null;
		this.watchers.values().forEach((streams) -> List.copyOf(streams).forEach(LiveStream::end));
		synchronized (this) {
			if (this.topologyChanges != null) {
				this.topologyChanges.dispose();
				this.topologyChanges = null;
			}
			if (this.connection != null) {
				this.connection.closeAsync();
				this.connection = null;
			}
		}
		if (timer != null) {
			timer.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

	@Override
	public int getPhase() {
		// Above WebServerGracefulShutdownLifecycle (DEFAULT_PHASE - 1024): stops first.
		return SmartLifecycle.DEFAULT_PHASE - 512;
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
				publishLocally(ChangeFeed.this.keys.counterOf(channel), Long.parseLong(message));
			}
			catch (RuntimeException ex) {
				logger.warn("Ignored a malformed change on " + channel + ": " + ex.getMessage());
			}
		}

	}

}
