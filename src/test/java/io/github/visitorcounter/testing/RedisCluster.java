package io.github.visitorcounter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.util.FileSystemUtils;

/**
 * A real Redis Cluster for tests: three masters and three replicas, each a
 * {@code redis-server} process on free loopback ports, without persistence, joined with
 * {@code redis-cli --cluster create}. It always runs as local processes (also where
 * Docker is available), so that a test can {@code kill -9} a master and watch its replica
 * take over.
 */
public final class RedisCluster implements OwnRedis {

	private static final String HOW_TO_GET_REDIS = """
			No Redis Cluster available for the tests: they need the redis-server and redis-cli binaries \
			(Redis 7 or newer), which were not found. Docker is not used for the cluster. Install Redis:
			  Debian/Ubuntu: sudo apt-get install redis-server
			  macOS:         brew install redis
			or point REDIS_SERVER at a redis-server executable with redis-cli next to it.""";

	private static final String HOST = "127.0.0.1";

	private static final int MASTERS = 3;

	/** How long a master may be unreachable before its replica takes over. */
	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

	private final Path redisCli;

	/** What every node requires ({@code requirepass}), or {@code null} for none. */
	private final String password;

	private final Path workDir;

	private final List<Node> nodes = new ArrayList<>();

	private RedisCluster(Path redisServer, Path redisCli, String password) {
		this.redisCli = redisCli;
		this.password = password;
		try {
			this.workDir = Files.createTempDirectory("visitor-counter-redis-cluster");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			for (int i = 0; i < 2 * MASTERS; i++) {
				this.nodes.add(Node.start(redisServer, this.workDir.resolve("node-" + i), password));
			}
			List<String> create = new ArrayList<>(List.of(redisCli.toString(), "--cluster", "create"));
			this.nodes.forEach((node) -> create.add(node.address()));
			create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			run(create, password);
			await("the cluster to form", STARTUP_TIMEOUT, this::isFormed);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Starts a new cluster, owned by the caller, who closes it.
	 */
	public static RedisCluster start() {
		return start(null);
	}

	/**
	 * Starts a new cluster whose nodes require {@code password} of every client and of
	 * each other; owned by the caller, who closes it.
	 */
	public static RedisCluster startWithPassword(String password) {
		return start(password);
	}

	private static RedisCluster start(String password) {
		Path redisServer = RedisServer.findRedisServer().orElseThrow(() -> new IllegalStateException(HOW_TO_GET_REDIS));
		Path redisCli = redisServer.resolveSibling("redis-cli");
		if (!Files.isExecutable(redisCli)) {
			throw new IllegalStateException(HOW_TO_GET_REDIS);
		}
		return new RedisCluster(redisServer, redisCli, password);
	}

	/**
	 * Every node as {@code host:port}, comma-separated, for {@code REDIS_CLUSTER_NODES}.
	 */
	public String nodes() {
		return this.nodes.stream().map(Node::address).collect(Collectors.joining(","));
	}

	/**
	 * The nodes, which switch the application to cluster mode; a password stays the
	 * test's to give, as {@code REDIS_URL}.
	 */
	@Override
	public Map<String, Object> applicationProperties() {
		return Map.of("REDIS_CLUSTER_NODES", nodes());
	}

	/** The port of the master that serves the key's hash slot. */
	public int masterOf(String key) {
		int slot = slotOf(key);
		return clusterNodes(anyLiveNode()).stream()
			.filter((entry) -> entry.isServingMaster() && entry.serves(slot))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No master serves slot " + slot))
			.port();
	}

	/**
	 * Moves the hash slot of {@code key}, with every key in it, to the master on
	 * {@code targetPort}, the way a resharding does: the slot is marked importing and
	 * migrating, its keys are moved with {@code MIGRATE}, then every master is told its
	 * new owner. Returns once every live node agrees.
	 */
	public void moveSlot(String key, int targetPort) {
		int slot = slotOf(key);
		Node source = node(masterOf(key));
		Node target = node(targetPort);
		String sourceId = cli(source, "CLUSTER", "MYID").strip();
		String targetId = cli(target, "CLUSTER", "MYID").strip();
		expectOk(cli(target, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", sourceId));
		expectOk(cli(source, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", targetId));
		for (List<String> keys = keysInSlot(source, slot); !keys.isEmpty(); keys = keysInSlot(source, slot)) {
			List<String> migrate = new ArrayList<>(List.of("MIGRATE", HOST, Integer.toString(target.port), "", "0",
					Long.toString(COMMAND_TIMEOUT.toMillis())));
			if (this.password != null) {
				migrate.addAll(List.of("AUTH", this.password));
			}
			migrate.add("KEYS");
			migrate.addAll(keys);
			expectOk(cli(source, migrate.toArray(String[]::new)));
		}
		// The new owner first, so that no node sends a client to a master that does not
		// know yet that it serves the slot.
		expectOk(cli(target, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId));
		for (Node node : liveNodes()) {
			if (node != target && isMaster(node)) {
				expectOk(cli(node, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId));
			}
		}
		await("every node to see slot " + slot + " on " + target.address(), STARTUP_TIMEOUT,
				() -> liveNodes().stream()
					.allMatch((node) -> clusterNodes(node).stream()
						.anyMatch((entry) -> entry.port() == target.port && entry.serves(slot))));
	}

	/**
	 * Waits until every replica holds all writes of its master, so that a failover loses
	 * nothing that was acknowledged.
	 */
	public void awaitReplicasInSync() {
		await("the replicas to catch up", STARTUP_TIMEOUT, () -> liveNodes().stream().allMatch(this::isInSync));
	}

	/** Kills the master on this port with {@code kill -9}, as a crash would. */
	public void killMaster(int port) {
		Node master = node(port);
		if (!isMaster(master)) {
			throw new IllegalArgumentException(master.address() + " is not a master");
		}
		run(List.of("kill", "-9", Long.toString(master.process.pid())), null);
		try {
			master.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits until a replica of the killed master has been promoted and every node left
	 * sees the cluster as {@code ok}.
	 * @return the port of the promoted replica
	 */
	public int awaitPromotedReplicaOf(int killedPort, Duration timeout) {
		Node killed = node(killedPort);
		await("a replica of " + killed.address() + " to be promoted", timeout,
				() -> promotedReplicaOf(killed).isPresent() && liveNodes().stream().allMatch(this::isClusterOk));
		return promotedReplicaOf(killed).orElseThrow().port();
	}

	@Override
	public void close() {
		this.nodes.forEach(Node::stop);
		FileSystemUtils.deleteRecursively(this.workDir.toFile());
	}

	/** The port of every master that serves slots, in no particular order. */
	public List<Integer> masters() {
		return clusterNodes(anyLiveNode()).stream().filter(NodeEntry::isServingMaster).map(NodeEntry::port).toList();
	}

	private int slotOf(String key) {
		return Integer.parseInt(cli(anyLiveNode(), "CLUSTER", "KEYSLOT", key).strip());
	}

	private List<String> keysInSlot(Node node, int slot) {
		return cli(node, "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "100").lines()
			.filter((line) -> !line.isBlank())
			.toList();
	}

	// redis-cli exits with 0 on an error reply too.
	private static void expectOk(String reply) {
		if (!reply.strip().equals("OK")) {
			throw new IllegalStateException("Expected OK from Redis, got: " + reply);
		}
	}

	private Optional<NodeEntry> promotedReplicaOf(Node killed) {
		return clusterNodes(anyLiveNode()).stream()
			.filter((entry) -> entry.isServingMaster() && entry.port() != killed.port)
			.filter((entry) -> Integer.valueOf(killed.port).equals(node(entry.port()).replicaOf))
			.findFirst();
	}

	private boolean isFormed() {
		if (!this.nodes.stream().allMatch(this::isClusterOk)) {
			return false;
		}
		for (Node node : this.nodes) {
			String replication = cli(node, "INFO", "replication");
			node.replicaOf = replication.contains("role:slave") ? Integer.valueOf(info(replication, "master_port"))
					: null;
			if (node.replicaOf != null && !replication.contains("master_link_status:up")) {
				return false;
			}
		}
		return this.nodes.stream().filter((node) -> node.replicaOf != null).count() == MASTERS;
	}

	private boolean isClusterOk(Node node) {
		String info = cli(node, "CLUSTER", "INFO");
		return info.contains("cluster_state:ok")
				&& Integer.parseInt(info(info, "cluster_known_nodes")) == this.nodes.size();
	}

	private boolean isMaster(Node node) {
		return cli(node, "INFO", "replication").contains("role:master");
	}

	private boolean isInSync(Node node) {
		String replication = cli(node, "INFO", "replication");
		if (!replication.contains("role:slave")) {
			return true;
		}
		Node master = node(Integer.parseInt(info(replication, "master_port")));
		return !master.isAlive() || info(cli(master, "INFO", "replication"), "master_repl_offset")
			.equals(info(replication, "slave_repl_offset"));
	}

	private List<NodeEntry> clusterNodes(Node node) {
		return cli(node, "CLUSTER", "NODES").lines()
			.filter((line) -> !line.isBlank())
			.map((line) -> new NodeEntry(line.strip().split(" ")))
			.toList();
	}

	private Node anyLiveNode() {
		return liveNodes().get(0);
	}

	private List<Node> liveNodes() {
		return this.nodes.stream().filter(Node::isAlive).toList();
	}

	private Node node(int port) {
		return this.nodes.stream()
			.filter((node) -> node.port == port)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No node on port " + port));
	}

	private String cli(Node node, String... command) {
		List<String> line = new ArrayList<>(
				List.of(this.redisCli.toString(), "-h", HOST, "-p", Integer.toString(node.port)));
		line.addAll(List.of(command));
		return run(line, this.password);
	}

	private static String info(String info, String field) {
		return info.lines()
			.filter((line) -> line.startsWith(field + ":"))
			.map((line) -> line.substring(field.length() + 1).strip())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No " + field + " in:\n" + info));
	}

	// redis-cli reads the password from REDISCLI_AUTH: not on its command line, where
	// it would warn.
	private static String run(List<String> command, String password) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			if (password != null) {
				builder.environment().put("REDISCLI_AUTH", password);
			}
			Process process = builder.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void await(String what, Duration timeout, Supplier<Boolean> condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.get()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
			}
			Sleep.sleep(Duration.ofMillis(100));
		}
	}

	/** One {@code redis-server} process with its own directory for {@code nodes.conf}. */
	private static final class Node {

		private final int port;

		private final Process process;

		/**
		 * The port of this node's master when the cluster formed, {@code null} for a
		 * master.
		 */
		private Integer replicaOf;

		private Node(int port, Process process) {
			this.port = port;
			this.process = process;
		}

		static Node start(Path executable, Path dir, String password) {
			try {
				Files.createDirectories(dir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			// A free port may be taken between probing and binding: try a few.
			IllegalStateException failure = null;
			for (int attempt = 0; attempt < 3; attempt++) {
				try {
					return launch(executable, dir, RedisServer.freePort(), RedisServer.freePort(), password);
				}
				catch (IllegalStateException ex) {
					failure = ex;
				}
			}
			throw failure;
		}

		private static Node launch(Path executable, Path dir, int port, int busPort, String password) {
			// An explicit bus port: the default, port + 10000, overflows for high free
			// ports.
			List<String> command = new ArrayList<>(List.of(executable.toString(), "--bind", HOST, "--port",
					Integer.toString(port), "--cluster-port", Integer.toString(busPort), "--cluster-enabled", "yes",
					"--cluster-config-file", dir.resolve("nodes.conf").toString(), "--cluster-node-timeout",
					Long.toString(NODE_TIMEOUT.toMillis()), "--protected-mode", "no", "--daemonize", "no", "--save", "",
					"--appendonly", "no", "--dir", dir.toString(), "--logfile", ""));
			if (password != null) {
				// masterauth: a replica authenticates to its master with it.
				command.addAll(List.of("--requirepass", password, "--masterauth", password));
			}
			Path log = dir.resolve("redis.log");
			Process process;
			try {
				process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
					.start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not start " + executable, ex);
			}
			long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
			while (!RedisServer.acceptsConnections(HOST, port)) {
				if (!process.isAlive() || System.nanoTime() > deadline) {
					process.destroyForcibly();
					throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + read(log));
				}
				Sleep.sleep(Duration.ofMillis(20));
			}
			return new Node(port, process);
		}

		String address() {
			return HOST + ":" + this.port;
		}

		boolean isAlive() {
			return this.process.isAlive();
		}

		void stop() {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static String read(Path log) {
			try {
				return Files.readString(log);
			}
			catch (IOException ex) {
				return "(no log: " + ex.getMessage() + ")";
			}
		}

	}

	/**
	 * A line of {@code CLUSTER NODES}:
	 * {@code id host:port@bus flags master ping pong epoch link slot...}.
	 */
	private record NodeEntry(String[] fields) {

		int port() {
			String address = this.fields[1];
			return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
		}

		boolean isServingMaster() {
			String flags = this.fields[2];
			return flags.contains("master") && !flags.contains("fail") && this.fields.length > 8;
		}

		boolean serves(int slot) {
			for (int i = 8; i < this.fields.length; i++) {
				String range = this.fields[i];
				if (range.startsWith("[")) {
					continue;
				}
				int dash = range.indexOf('-');
				int from = Integer.parseInt((dash < 0) ? range : range.substring(0, dash));
				int to = (dash < 0) ? from : Integer.parseInt(range.substring(dash + 1));
				if (slot >= from && slot <= to) {
					return true;
				}
			}
			return false;
		}

	}

}
