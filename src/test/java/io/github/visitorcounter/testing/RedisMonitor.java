package io.github.visitorcounter.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the commands that clients send to a plain-text Redis, through {@code MONITOR}.
 * Commands that scripts run inside Redis are left out, so what remains is exactly what
 * went over the wire.
 */
public class RedisMonitor implements AutoCloseable {

	// 1700000000.123456 [0 127.0.0.1:51234] "evalsha" "..." — script commands show "[0
	// lua]" instead.
	private static final Pattern LINE = Pattern.compile("^\\+?[\\d.]+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\".*$");

	private final Socket socket;

	private final List<String> clientCommands = new CopyOnWriteArrayList<>();

	public RedisMonitor(String host, int port) {
		try {
			this.socket = new Socket(host, port);
			this.socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
			if (!"+OK".equals(reader.readLine())) {
				throw new IllegalStateException("MONITOR was refused");
			}
			Thread recorder = new Thread(() -> record(reader), "redis-monitor");
			recorder.setDaemon(true);
			recorder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void record(BufferedReader reader) {
		try {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				Matcher matcher = LINE.matcher(line);
				if (matcher.matches() && !"lua".equals(matcher.group(1))) {
					this.clientCommands.add(matcher.group(2).toLowerCase());
				}
			}
		}
		catch (IOException ex) {
			// The monitor was closed.
		}
	}

	/** The names of the commands clients sent so far, in order. */
	public List<String> clientCommands() {
		return List.copyOf(this.clientCommands);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
