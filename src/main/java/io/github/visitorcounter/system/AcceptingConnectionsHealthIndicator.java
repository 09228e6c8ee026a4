package io.github.visitorcounter.system;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Part of liveness: down once the application's web server can no longer accept
 * connections, because its connector stopped or a thread it cannot do without is gone.
 * Tomcat runs one acceptor and one poller thread; an {@link Error} that escapes either
 * (an {@link OutOfMemoryError}, were it not for {@code -XX:+ExitOnOutOfMemoryError}) ends
 * the thread, nothing starts it again, and the process would live on without ever
 * answering. An orchestrator then restarts the instance. The connector checked is the
 * application's, also when Actuator has a port of its own
 * ({@code MANAGEMENT_SERVER_PORT}).
 */
@Component
class AcceptingConnectionsHealthIndicator implements HealthIndicator {

	/**
	 * Tomcat names them after the connector's endpoint, such as http-nio-8080-Acceptor.
	 */
	private static final List<String> SERVER_THREADS = List.of("-Acceptor", "-Poller");

	private final WebServerApplicationContext context;

	AcceptingConnectionsHealthIndicator(WebServerApplicationContext context) {
		this.context = context;
	}

	@Override
	public Health health() {
		if (!(this.context.getWebServer() instanceof TomcatWebServer server)) {
			return Health.unknown().build();
		}
		Connector connector = server.getTomcat().getConnector();
		if (connector.getState() != LifecycleState.STARTED) {
			return Health.down().withDetail("connector", connector.getStateName()).build();
		}
		if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
			String endpoint = endpointName(protocol);
			Set<String> running = runningThreadNames();
			for (String thread : SERVER_THREADS) {
				if (!running.contains(endpoint + thread)) {
					return Health.down().withDetail("stopped", endpoint + thread).build();
				}
			}
		}
		return Health.up().build();
	}

	/** The name Tomcat gave the endpoint, and so its threads, when it started. */
	private static String endpointName(AbstractProtocol<?> protocol) {
		// Quoted for JMX.
		String quoted = protocol.getName();
		String name = quoted.substring(1, quoted.length() - 1);
		// On port 0 the endpoint was named before it was bound, without the port it got
		// (http-nio-auto-1, now http-nio-auto-1-43210).
		return (protocol.getPortWithOffset() == 0) ? name.substring(0, name.lastIndexOf('-')) : name;
	}

	private static Set<String> runningThreadNames() {
		ThreadGroup root = Thread.currentThread().getThreadGroup();
		while (root.getParent() != null) {
			root = root.getParent();
		}
		Thread[] threads = new Thread[root.activeCount() + 16];
		int count = root.enumerate(threads, true);
		return Arrays.stream(threads, 0, count)
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.collect(Collectors.toSet());
	}

}
