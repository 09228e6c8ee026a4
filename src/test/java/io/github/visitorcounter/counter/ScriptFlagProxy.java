package io.github.visitorcounter.counter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.visitorcounter.testing.RedisServer;

/**
 * Stands in for Upstash in front of a real, plain-text Redis: it accepts Lua scripts
 * whose first line is {@value LuaScripts#KEY_LOCKING}, which stock Redis refuses. Such a
 * script reaches Redis with that line blanked, while the client keeps using the SHA1 of
 * the script it sent, as with Upstash: {@code SCRIPT LOAD} answers it, {@code EVALSHA}
 * with it runs the blanked script, and a script Redis lost (restart,
 * {@code SCRIPT FLUSH}) gets the usual {@code NOSCRIPT}. It records every command it
 * forwards, script bodies and SHA1s as the client sent them. Upstash's key locking itself
 * is not emulated.
 */
final class ScriptFlagProxy implements AutoCloseable {

	private static final String FLAG_LINE = LuaScripts.KEY_LOCKING + "\n";

	private final RedisServer redis;

	private final ServerSocket server;

	/** SHA1 of each flagged script the client sent, to that of the script Redis runs. */
	private final Map<String, String> shas = new ConcurrentHashMap<>();

	private final List<List<String>> commands = new CopyOnWriteArrayList<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private Socket loader;

	ScriptFlagProxy(RedisServer redis) {
		this.redis = redis;
		try {
			this.server = new ServerSocket();
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		daemon("script-flag-proxy-accept", this::accept);
	}

	String url() {
		return "redis://127.0.0.1:" + this.server.getLocalPort();
	}

	/** Every command forwarded so far, each as the client sent it, name first. */
	List<List<String>> commands() {
		return List.copyOf(this.commands);
	}

	static String sha1(String script) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket redis = new Socket(this.redis.host(), this.redis.port());
				this.sockets.addAll(List.of(client, redis));
				daemon("script-flag-proxy-up", () -> forwardCommands(client, redis));
				daemon("script-flag-proxy-down", () -> copy(redis, client));
			}
			catch (IOException ex) {
				// Closed.
			}
		}
	}

	private void forwardCommands(Socket client, Socket redis) {
		try (InputStream in = new BufferedInputStream(client.getInputStream());
				OutputStream out = new BufferedOutputStream(redis.getOutputStream())) {
			while (true) {
				List<String> command = readCommand(in);
				this.commands.add(command);
				writeCommand(out, rewrite(command));
				if (in.available() == 0) {
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			closeQuietly(client);
			closeQuietly(redis);
		}
	}

	private List<String> rewrite(List<String> command) throws IOException {
		String name = command.get(0).toUpperCase();
		List<String> rewritten = new ArrayList<>(command);
		if ((name.equals("EVAL") || name.equals("EVAL_RO")) && command.get(1).startsWith(FLAG_LINE)) {
			rewritten.set(1, blanked(command.get(1)));
		}
		else if (name.equals("EVALSHA") || name.equals("EVALSHA_RO")) {
			rewritten.set(1, this.shas.getOrDefault(command.get(1), command.get(1)));
		}
		else if (name.equals("SCRIPT") && command.get(1).equalsIgnoreCase("LOAD")
				&& command.get(2).startsWith(FLAG_LINE)) {
			String plain = blanked(command.get(2));
			// Loaded beside the client's connection, whose reply must be the client's
			// SHA1:
			// an ECHO of it, or Redis' own refusal of the script.
			return load(plain) ? List.of("ECHO", sha1(command.get(2))) : List.of("SCRIPT", "LOAD", plain);
		}
		return rewritten;
	}

	private String blanked(String flagged) {
		String plain = flagged.substring(LuaScripts.KEY_LOCKING.length());
		this.shas.put(sha1(flagged), sha1(plain));
		return plain;
	}

	private synchronized boolean load(String script) throws IOException {
		if (this.loader == null) {
			this.loader = new Socket(this.redis.host(), this.redis.port());
			this.sockets.add(this.loader);
		}
		OutputStream out = this.loader.getOutputStream();
		writeCommand(out, List.of("SCRIPT", "LOAD", script));
		out.flush();
		InputStream in = this.loader.getInputStream();
		String reply = readLine(in);
		if (reply.startsWith("$")) {
			readBulk(in, Integer.parseInt(reply.substring(1)));
			return true;
		}
		return false;
	}

	private static List<String> readCommand(InputStream in) throws IOException {
		String header = readLine(in);
		if (!header.startsWith("*")) {
			throw new IOException("Not a RESP array: " + header);
		}
		int count = Integer.parseInt(header.substring(1));
		List<String> command = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String length = readLine(in);
			command.add(readBulk(in, Integer.parseInt(length.substring(1))));
		}
		return command;
	}

	private static String readBulk(InputStream in, int length) throws IOException {
		byte[] bytes = in.readNBytes(length + 2);
		if (bytes.length < length + 2) {
			throw new EOFException();
		}
		return new String(bytes, 0, length, StandardCharsets.UTF_8);
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				throw new EOFException();
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	private static void writeCommand(OutputStream out, List<String> command) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(("*" + command.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (String argument : command) {
			byte[] value = argument.getBytes(StandardCharsets.UTF_8);
			bytes.writeBytes(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			bytes.writeBytes(value);
			bytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		out.write(bytes.toByteArray());
	}

	private static void copy(Socket from, Socket to) {
		try {
			from.getInputStream().transferTo(to.getOutputStream());
		}
		catch (IOException ex) {
			// One side closed.
		}
		closeQuietly(from);
		closeQuietly(to);
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		this.sockets.forEach(ScriptFlagProxy::closeQuietly);
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

}
