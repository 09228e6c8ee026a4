package io.github.visitorcounter.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the commands that reach a plain-text Redis, through {@code MONITOR}: those that
 * clients send, which went over the wire, and those that scripts run inside Redis, each
 * right after the script call that ran it.
 */
public class RedisMonitor implements AutoCloseable {

	// 1700000000.123456 [0 127.0.0.1:51234] "evalsha" "..." — script commands show "[0
	// lua]" instead.
	private static final Pattern LINE = Pattern.compile("^\\+?[\\d.]+ \\[\\d+ ([^\\]]+)\\] (.*)$");

	private static final Pattern ARGUMENT = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final Socket socket;

	private final List<Command> commands = new CopyOnWriteArrayList<>();

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
				if (matcher.matches()) {
					List<String> arguments = new ArrayList<>();
					Matcher argument = ARGUMENT.matcher(matcher.group(2));
					while (argument.find()) {
						arguments.add(argument.group(1));
					}
					this.commands.add(new Command(!"lua".equals(matcher.group(1)), List.copyOf(arguments)));
				}
			}
		}
		catch (IOException ex) {
			// The monitor was closed.
		}
	}

	/** The names of the commands clients sent so far, in order. */
	public List<String> clientCommands() {
		return this.commands.stream().filter(Command::fromClient).map(Command::name).toList();
	}

	/** Every command so far, in order. */
	public List<Command> commands() {
		return List.copyOf(this.commands);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * One command.
	 *
	 * @param fromClient sent by a client, not run by a script
	 * @param arguments its name and arguments, as {@code MONITOR} shows them (quotes and
	 * backslashes escaped)
	 */
	public record Command(boolean fromClient, List<String> arguments) {

		/** The command's name, in lower case. */
		public String name() {
			return this.arguments.get(0).toLowerCase();
		}

	}

}
