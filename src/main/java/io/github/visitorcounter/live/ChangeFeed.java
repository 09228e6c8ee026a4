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

import io.github.visitorcounter.counter.ChannelProperties;
import io.github.visitorcounter.counter.CounterKeys;
import io.github.visitorcounter.counter.CounterStore;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Fans count changes out from Redis to this instance's event streams.
 * <p>
 * The instance subscribes a counter's channel ({@link ChangeSubscriptions}) while at
 * least one local stream watches that counter. Pub/sub is fire-and-forget, so the count
 * of each watched counter is also re-read whenever a Redis connection comes (back) up,
 * and as a backstop once per {@code resyncInterval} (a minute): a change published while
 * the connection was down (Lettuce reconnects and resubscribes by itself) still reaches
 * the streams, and an instance whose streams see no visits sends Redis one command a
 * minute per watched counter, not one per heartbeat. In a cluster, sharded subscriptions
 * follow topology changes, such as a failover, by subscribing again.
 * <p>
 * Nothing here holds a thread per stream: one timer thread schedules and sends, since
 * sends never block ({@link EventStreamConnection}); re-reads, which wait for Redis, run
 * on the application's task executor.
 */
@Component
class ChangeFeed implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ChangeFeed.class);

	/** How long a new stream waits for its counter's subscription to be confirmed. */
	private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(2);

	private final CounterStore counterStore;

	private final LiveProperties properties;

	private final Executor background;

	private final StreamSlots slots;

	private final ChangeSubscriptions subscriptions;

	private final Map<String, Set<LiveStream>> watchers = new ConcurrentHashMap<>();

	/** The newest count seen per watched counter, so a re-read never goes backwards. */
	private final Map<String, Long> lastKnown = new ConcurrentHashMap<>();

	private final AtomicBoolean resyncing = new AtomicBoolean();

	private final ClientResources clientResources;

	private volatile ScheduledThreadPoolExecutor timer;

	/** Redis connections coming (back) up, while started. */
	private volatile Disposable reconnects;

	ChangeFeed(LettuceConnectionFactory connectionFactory, CounterKeys keys, CounterStore counterStore,
			LiveProperties properties, ChannelProperties channels, ClientResources clientResources,
			@Qualifier("applicationTaskExecutor") Executor background, MeterRegistry meterRegistry) {
		this.counterStore = counterStore;
		this.clientResources = clientResources;
		this.properties = properties;
		this.background = background;
		this.slots = new StreamSlots(properties.streamCap(), properties.maxStreamsPerClient());
		this.subscriptions = new ChangeSubscriptions(connectionFactory, keys, channels.sharded(), this::publishLocally);
		Gauge.builder("visitors.live.streams", this.slots, StreamSlots::open)
			.description("Live streams open on this instance")
			.register(meterRegistry);
		if (properties.maxStreams() == 0) {
			logger.info("Live streams: at most " + properties.streamCap() + " on this instance, sized by the heap");
		}
	}

	/**
	 * Opens a stream of the counter's count for a client; it sends once connected.
	 * @param client the client's address group
	 * @param lastEventId the count the client already shows, or -1
	 * @throws StreamLimitException beyond a cap, or while shutting down
	 * @throws DataAccessException when Redis is unavailable
	 */
	LiveStream open(String counter, String client, long lastEventId) {
		ScheduledThreadPoolExecutor timer = this.timer;
		if (timer == null) {
			throw StreamLimitException.shuttingDown();
		}
		this.slots.acquire(client);
		LiveStream stream = new LiveStream(counter, client, lastEventId, timer, this.properties.minEventInterval(),
				this::leave);
		try {
			join(stream);
			// Read after subscribing: a change in between is then seen twice, never
			// missed.
			long count = this.counterStore.count(counter);
			this.lastKnown.merge(counter, count, Math::max);
			stream.offer(count);
			return stream;
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
				subscribed = this.subscriptions.subscribe(counter);
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
				this.subscriptions.unsubscribe(counter);
			}
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
		Duration maxDuration = this.properties.maxDuration();
		this.watchers.values().forEach((streams) -> streams.forEach((stream) -> stream.heartbeat(maxDuration)));
	}

	private void resyncInBackground() {
		if (!this.watchers.isEmpty() && this.resyncing.compareAndSet(false, true)) {
			this.background.execute(this::resync);
		}
	}

	private void followTopology() {
		if (this.subscriptions.topologySettled()) {
			this.background.execute(() -> {
				this.subscriptions.resubscribe(this.watchers.keySet());
				// Picks up what was published meanwhile.
				if (this.resyncing.compareAndSet(false, true)) {
					resync();
				}
			});
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
		long resync = this.properties.resyncInterval().toNanos();
		timer.scheduleAtFixedRate(this::resyncInBackground, resync, resync, TimeUnit.NANOSECONDS);
		this.reconnects = this.clientResources.eventBus()
			.get()
			.filter(ConnectionActivatedEvent.class::isInstance)
			.subscribe((event) -> resyncInBackground(),
					(ex) -> logger.warn("Stopped following Redis reconnections: " + ex));
		long settle = ChangeSubscriptions.TOPOLOGY_SETTLE_TIME.toNanos();
		timer.scheduleWithFixedDelay(this::followTopology, settle, settle, TimeUnit.NANOSECONDS);
		this.subscriptions.open();
		this.timer = timer;
	}

	/**
	 * Ends every stream before the web server stops, so that each client sees its stream
	 * end and reconnects (to another instance, behind a load balancer) at once.
	 */
	@Override
	public void stop() {
		ScheduledThreadPoolExecutor timer = this.timer;
		this.timer = null;
		this.watchers.values().forEach((streams) -> List.copyOf(streams).forEach(LiveStream::end));
		this.subscriptions.close();
		if (this.reconnects != null) {
			this.reconnects.dispose();
			this.reconnects = null;
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

}
